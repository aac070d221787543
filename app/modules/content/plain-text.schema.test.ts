import { describe, expect, test } from "vitest";
import { z } from "zod";
import { hasControlCharacters, isBlank, normalizePlainText, PLAIN_TEXT_MESSAGES, plainText, trimInvisible } from "./plain-text.schema.ts";

const Title = plainText({ required: "Write a title" }).pipe(z.string().min(5, "Too short").max(20, "Too long"));
const Body = plainText({ multiline: true });

describe("plain text fields", () => {
  test("NUL, other C0 controls, DEL, C1 controls and lone surrogates are refused with the characters message", () => {
    for (const bad of ["a\u0000b", "a\u0001b", "a\u001bb", "a\u007fb", "a\u0085b", "a\u009fb", "a\ud800b", "a\udc00b", "tab\there", "line\nbreak"]) {
      const result = Title.safeParse(`Hello ${bad}`);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error?.issues.map((i) => i.message)).toEqual([PLAIN_TEXT_MESSAGES.characters]);
    }
  });

  test("multi-line text keeps tabs and line ends (CRLF becomes LF) and still refuses other controls", () => {
    expect(Body.parse("first\r\nsecond\rthird\n\tindented")).toBe("first\nsecond\nthird\n\tindented");
    expect(Body.safeParse("first\u0000second").success).toBe(false);
    expect(Body.safeParse("bell\u0007").success).toBe(false);
  });

  test("text is stored NFC: a combining accent and a precomposed letter give the same string", () => {
    expect(normalizePlainText("Cafe\u0301")).toBe("Caf\u00e9");
    expect(normalizePlainText("Cafe\u0301")).toBe(normalizePlainText("Caf\u00e9"));
    // Romanian comma-below letters and Chinese are left as typed.
    expect(normalizePlainText("Ro\u0219ia \u0163ar\u0103 \u4e2d\u6587")).toBe("Ro\u0219ia \u0163ar\u0103 \u4e2d\u6587");
  });

  test("bidirectional embeddings, overrides and isolates are removed; the marks RLM and LRM stay", () => {
    expect(normalizePlainText("file \u202etxt.exe\u202c")).toBe("file txt.exe");
    expect(normalizePlainText("\u2067\u05e9\u05dc\u05d5\u05dd\u2069 world")).toBe("\u05e9\u05dc\u05d5\u05dd world");
    expect(normalizePlainText("\u05e9\u05dc\u05d5\u05dd\u200f!")).toBe("\u05e9\u05dc\u05d5\u05dd\u200f!");
  });

  test("invisible characters are trimmed from the ends, so a title of them only is empty and gets the required message", () => {
    const invisible = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u3164\u115f\u1160\uffa0\u2800\u034f\u180e\u3000\u00a0\ufe0f";
    expect(isBlank(invisible)).toBe(true);
    expect(Title.safeParse(invisible.repeat(3)).error?.issues.map((i) => i.message)).toEqual(["Write a title"]);
    expect(Title.safeParse(undefined).error?.issues.map((i) => i.message)).toEqual(["Write a title"]);
    expect(Title.parse("\u200b Hello there \u200b")).toBe("Hello there");
    // Lengths count the trimmed text: padding with zero-width spaces does not reach the minimum.
    expect(Title.safeParse("\u200b\u200b\u200bHi\u200b\u200b\u200b").error?.issues.map((i) => i.message)).toEqual(["Too short"]);
  });

  test("joiners inside text and the selectors that finish an emoji are kept", () => {
    expect(trimInvisible(" I \u2764\ufe0f it ")).toBe("I \u2764\ufe0f it");
    expect(trimInvisible("Love \u2764\ufe0f")).toBe("Love \u2764\ufe0f");
    const family = "\u{1f468}\u200d\u{1f469}\u200d\u{1f467}";
    expect(trimInvisible(`Family ${family}`)).toBe(`Family ${family}`);
    const england = "\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}";
    expect(trimInvisible(`Go ${england}`)).toBe(`Go ${england}`);
    expect(normalizePlainText("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")).toBe("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645");
  });

  test("trimming is linear: a long run of invisible characters before a letter is fast", () => {
    const long = `${"\u200b".repeat(200_000)}a${"\u200b".repeat(200_000)}`;
    const started = performance.now();
    expect(trimInvisible(long)).toBe("a");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(hasControlCharacters(long)).toBe(false);
  });
});
