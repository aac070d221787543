import { describe, expect, test } from "vitest";
import { pickLanguage, visitorLanguage } from "./language.server.ts";

describe("pickLanguage (Accept-Language)", () => {
  test("honours q-values, then order, and maps region tags to a script", () => {
    expect(pickLanguage("en;q=0.3, zh-TW;q=0.8, ro;q=0.5")).toBe("zh-Hant");
    expect(pickLanguage("fr-FR, de;q=0.9, zh-CN;q=0.2")).toBe("zh-Hans");
    expect(pickLanguage("ro, en")).toBe("ro");
    expect(pickLanguage("EN-gb")).toBe("en");
    expect(pickLanguage("zh-MO")).toBe("zh-Hant");
    expect(pickLanguage("zh-hans-HK")).toBe("zh-Hans");
  });

  test("unknown, malformed or wildcard headers are English, never an error", () => {
    for (const header of [null, "", "*", "xx", "q=1", ",,,;;;", "zh-@@@", "ro;q=0", "\u0000\uffff", "a".repeat(5000)]) expect(pickLanguage(header)).toBe("en");
    expect(pickLanguage("en-XA")).toBe("en"); // the pseudo-locale only exists in its test mode
  });

  test("a 100 KB header is read only as far as a real one goes: English, at the cost of a short header", () => {
    const entries = Array.from({ length: 9000 }, (_, i) => `x${i}-aa;q=0.${i % 9}`).join(",");
    const huge = `${entries.slice(0, 100_000)},ro`;
    expect(huge.length).toBeGreaterThan(100_000);
    expect(pickLanguage(huge)).toBe("en");
    const short = entries.slice(0, 256);
    const time = (header: string) => {
      const start = performance.now();
      for (let i = 0; i < 200; i++) pickLanguage(header);
      return performance.now() - start;
    };
    time(huge);
    time(short);
    // Interleaved rounds, best of each, so a busy machine slows both alike.
    const rounds = Array.from({ length: 5 }, () => [time(huge), time(short)] as const);
    const hugeBest = Math.min(...rounds.map((r) => r[0]));
    const shortBest = Math.min(...rounds.map((r) => r[1]));
    expect(hugeBest).toBeLessThan(shortBest * 3 + 2);
  });
});

describe("visitorLanguage", () => {
  test("the switcher's cookie first, then Accept-Language; a bad cookie value is skipped", () => {
    expect(visitorLanguage("tw_csrf=x; tw_lang=zh-Hant", "ro")).toBe("zh-Hant");
    expect(visitorLanguage("tw_lang=klingon", "ro")).toBe("ro");
    expect(visitorLanguage("tw_lang=", null)).toBe("en");
    expect(visitorLanguage("other_tw_lang=ro", null)).toBe("en");
  });
});
