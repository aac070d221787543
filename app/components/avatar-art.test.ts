import { describe, expect, test } from "vitest";
import { AVATAR_HUES, AVATAR_LIGHTNESS, AVATAR_SATURATION, avatarColor, avatarSvg, handleHash, initialsOf } from "./avatar-art.ts";

/** CSS hsl() to sRGB (0-255 channels), as browsers convert it. */
function hslToRgb(h: number, s: number, l: number): number[] {
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round((l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))) * 255);
  };
  return [f(0), f(8), f(4)];
}

/** WCAG 2 contrast ratio of white text on an sRGB background. */
function contrastWithWhite(rgb: number[]): number {
  const [r, g, b] = rgb.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

describe("generated avatars", () => {
  test("initials come from the display name in any script, whole graphemes, at most two", () => {
    expect(initialsOf("Max Member", "max-member")).toBe("MM");
    expect(initialsOf("Ioana Pop", "ioana-pop")).toBe("IP");
    expect(initialsOf("Ștefan Țurcanu", "stefan")).toBe("ȘȚ");
    expect(initialsOf("李娜", "li-na")).toBe("李");
    expect(initialsOf("陳偉 Chen", "wei-chen")).toBe("陳");
    expect(initialsOf("e\u0301lodie", "elodie")).toBe("E\u0301");
    expect(initialsOf("👩‍💻 dev", "dev")).toBe("👩‍💻D");
    expect(initialsOf("   ", "ann_lee")).toBe("AL");
  });

  test("the colour is a pure function of the handle: same handle same colour, case-insensitive", () => {
    expect(avatarColor("max-member")).toBe(avatarColor("MAX-MEMBER"));
    const colours = new Set(["ann", "bob", "carla", "dan", "eve", "li-na", "ioana-pop", "max-member"].map(avatarColor));
    expect(colours.size).toBeGreaterThan(3);
  });

  test("white initials meet WCAG AA contrast (4.5:1) on every background a handle can get", () => {
    const ratios = AVATAR_HUES.map((hue) => ({ hue, ratio: contrastWithWhite(hslToRgb(hue, AVATAR_SATURATION, AVATAR_LIGHTNESS)) }));
    expect(ratios.filter((r) => r.ratio < 4.5)).toEqual([]);
    // The converter agrees with a known value: pure red on white is 4.0:1.
    expect(contrastWithWhite(hslToRgb(0, 100, 50))).toBeCloseTo(4.0, 1);
    // Every hue is reachable: the colour really is one of these.
    const seen = new Set(Array.from({ length: 400 }, (_, i) => AVATAR_HUES[handleHash(`member-${i}`) % AVATAR_HUES.length]));
    expect(seen.size).toBe(AVATAR_HUES.length);
    expect(avatarColor("member-1")).toMatch(new RegExp(`^hsl\\(\\d+ ${AVATAR_SATURATION}% ${AVATAR_LIGHTNESS}%\\)$`));
  });

  test("the SVG is self-contained: no URL, no e-mail hash, and the name is escaped", () => {
    const svg = avatarSvg("evil", `<script>alert(1)</script> "x"`);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).not.toMatch(/<script|href|https?:\/\/(?!www\.w3\.org\/2000\/svg)|gravatar|md5/i);
    expect(svg).toContain("&#60;");
  });
});
