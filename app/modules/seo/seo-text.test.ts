import { describe, expect, test } from "vitest";
import { plainDescription } from "./seo-meta.ts";
import { absoluteUrl, canonicalPath } from "./seo-urls.ts";
import { xmlText } from "./xml.ts";

describe("plainDescription", () => {
  test("collapses whitespace and line terminators, and keeps short text whole", () => {
    expect(plainDescription("  Tom &\n Jerry\u2028<3  ")).toBe("Tom & Jerry <3");
  });

  test("cuts Latin text at a word boundary before 160 characters, with an ellipsis", () => {
    const text = "Cum îmi schimb parola în aplicația mobilă când nu mai primesc e-mailul de resetare ".repeat(4);
    const cut = plainDescription(text);
    expect([...cut].length).toBeLessThanOrEqual(160);
    expect(cut.endsWith("…")).toBe(true);
    expect(text.startsWith(cut.slice(0, -1))).toBe(true);
    expect(text[cut.length - 1]).toBe(" ");
  });

  test("never splits a grapheme (an emoji with a skin tone, a flag) when cutting", () => {
    const text = "👍🏽🇷🇴".repeat(100);
    const cut = plainDescription(text, 11).slice(0, -1);
    expect(text.startsWith(cut)).toBe(true);
    expect([...new Intl.Segmenter().segment(cut)].every((s) => s.segment === "👍🏽" || s.segment === "🇷🇴")).toBe(true);
  });
});

describe("plainDescription's cut without the segmenter", () => {
  /** The cut as the grapheme segmenter makes it over the whole text: what the shortcut must equal. */
  function segmenterCut(text: string, max: number): string {
    const clean = text.replace(/\s+/g, " ").trim();
    let cut = "";
    let length = 0;
    for (const { segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(clean)) {
      const size = [...segment].length;
      if (length + size > max - 1) break;
      cut += segment;
      length += size;
    }
    const space = cut.lastIndexOf(" ");
    if (space > max * 0.6) cut = cut.slice(0, space);
    return `${cut.replace(/[\s.,;:!?，。、；：！？-]+$/u, "")}…`;
  }

  test.each([
    ["Latin", "Why does the audit log stop working without admin rights after the upgrade? "],
    ["Romanian, precomposed", "De ce nu mai funcționează jurnalul de audit fără drepturi de administrator? "],
    ["Romanian, combining comma below", "Nu mai func\u0074\u0326ioneaza\u0306 jurnalul; s\u0326i apoi? "],
    ["Chinese", "为什么升级后没有管理员权限审计日志就停止工作了？请帮忙看看"],
    ["Hangul jamo", "\u1100\u1161\u11a8 \u1102\u1161 "],
    ["Devanagari", "क्षमा करें, यह काम नहीं करता है। "],
    ["emoji and flags", "Works now 👍🏽 thanks 🇷🇴 "],
    ["halfwidth katakana", "ｶﾞｷﾞｸﾞ ﾃｽﾄ "],
    ["zero-width joiner", "a\u200db c "],
    // Without spaces the cut falls inside the text, not at a word: where a split grapheme would show.
    ["combining marks, no spaces", "s\u0326a\u0306t\u0326"],
    ["Devanagari, no spaces", "क्षमाकरें"],
    ["Hangul jamo, no spaces", "\u1100\u1161\u11a8"],
  ])("%s: the same cut as the segmenter's", (_name, unit) => {
    for (const max of [11, 40, 160]) {
      const text = unit.repeat(Math.ceil((max * 3) / unit.length));
      expect(plainDescription(text, max), `${_name} at ${max}`).toBe(segmenterCut(text, max));
    }
  });
});

describe("plainDescription of a long text", () => {
  test("reads only the beginning: a 200,000-character question gives the same description as its first paragraph would", () => {
    const opening = "Sincronizarea contactelor se oprește după 500 de intrări. 同步在五百个联系人后停止。 ".repeat(4);
    const long = opening + "x".repeat(200_000);
    const short = opening + "x".repeat(1_000);
    const description = plainDescription(long);
    expect(description).toBe(plainDescription(short));
    expect([...description].length).toBeLessThanOrEqual(160);
    expect(description.endsWith("…")).toBe(true);
    // A text that is long only in its spaces still ends with an ellipsis: there is more to read.
    expect(plainDescription(`Start ${" ".repeat(5_000)} end`).endsWith("…")).toBe(true);
  });
});

describe("xmlText", () => {
  test("escapes markup, drops characters XML 1.0 forbids, keeps Chinese and Romanian text", () => {
    expect(xmlText(`a<b>&"c'\u0000\u0007\uFFFE 发票 ș`)).toBe("a&lt;b&gt;&amp;&quot;c&apos; 发票 ș");
    expect(xmlText("lone \uD800 surrogate 😀")).toBe("lone  surrogate 😀");
  });
});

describe("canonical URLs", () => {
  test("only the named parameters survive, in their order; tracking and sort parameters are dropped", () => {
    expect(canonicalPath("/questions", "?utm_source=x&sort=votes&after=abc&filter=unanswered", ["filter", "after"])).toBe("/questions?filter=unanswered&after=abc");
    expect(canonicalPath("/questions", "?sort=votes")).toBe("/questions");
  });

  test("absolute URLs percent-encode non-Latin slugs, once", () => {
    expect(absoluteUrl("https://help.example/", "/questions/5/如何取消")).toBe("https://help.example/questions/5/%E5%A6%82%E4%BD%95%E5%8F%96%E6%B6%88");
    expect(absoluteUrl("https://help.example", "/questions/5/%E5%A6%82")).toBe("https://help.example/questions/5/%E5%A6%82");
  });
});
