import { describe, expect, test } from "vitest";
import { avatarColor, avatarSvg, initialsOf } from "./avatar-art.ts";

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

  test("the SVG is self-contained: no URL, no e-mail hash, and the name is escaped", () => {
    const svg = avatarSvg("evil", `<script>alert(1)</script> "x"`);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).not.toMatch(/<script|href|https?:\/\/(?!www\.w3\.org\/2000\/svg)|gravatar|md5/i);
    expect(svg).toContain("&#60;");
  });
});
