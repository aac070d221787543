import { describe, expect, test } from "vitest";
import { headerSafeUrl } from "~/utils/headers.ts";
import { RESERVED_THREAD_SLUGS, slugify, threadSlug } from "./questions.schema.ts";

describe("slugify: readable slugs from titles in any script", () => {
  test.each([
    ["行動應用程式每天都要求重新登入怎麼辦？", "行動應用程式每天都要求重新登入怎麼辦"],
    ["如何邀请新的团队成员加入我们的账户？", "如何邀请新的团队成员加入我们的账户"],
    ["Cum schimb datele de facturare ale firmei?", "cum-schimb-datele-de-facturare-ale-firmei"],
    ["Şterg contul ţării ÎNTÂI (cedilla forms)", "sterg-contul-tarii-intai-cedilla-forms"],
    ["كيف أعيد تعيين كلمة المرور؟", "كيف-أعيد-تعيين-كلمة-المرور"],
    ["がんばる テスト", "がんばる-テスト"],
    ["비밀번호를 잊어버렸어요", "비밀번호를-잊어버렸어요"],
    ["ภาษาไทย ที่นี่", "ภาษาไทย-ที่นี่"],
    ["Ｅｘｃｅｌ export łódź straße", "excel-export-łodz-straße"],
    ["🎉 Party time 🎉", "party-time"],
  ])("%s → %s", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  test("Japanese voiced kana and Thai vowels stay whole (only Latin letters lose their marks)", () => {
    expect(slugify("が")).toBe("が");
    expect(slugify("ที่")).toBe("ที่");
  });

  test("emoji-only titles, bidi controls and punctuation give no empty or spoofing slug", () => {
    expect(slugify("🎉🎉🎉")).toBe("question");
    expect(slugify("?!…")).toBe("question");
    expect(slugify("abc\u202Eevil\u200F")).toBe("abc-evil");
    expect(slugify("🎉", 70, "article")).toBe("article");
  });

  test("at most 80 characters, never cutting a character outside the BMP in half", () => {
    const astral = slugify("𠀀".repeat(100));
    expect(Array.from(astral)).toHaveLength(80);
    expect(() => encodeURIComponent(astral)).not.toThrow();
    const edge = slugify(`${"x".repeat(79)}𠀀`);
    expect(edge).toBe(`${"x".repeat(79)}𠀀`);
    expect(() => encodeURIComponent(edge)).not.toThrow();
    expect(slugify(`${"word ".repeat(30)}`)).not.toMatch(/-$/);
  });

  test("every slug becomes a header-safe path", () => {
    for (const title of ["行動應用程式每天都要求重新登入怎麼辦？", "كيف أعيد تعيين كلمة المرور؟", "łódź"]) {
      expect(headerSafeUrl(`/questions/1/${slugify(title)}`)).toMatch(/^[\x21-\x7e]+$/);
    }
  });
});

describe("threadSlug: never one of a thread's fixed paths", () => {
  test("every fixed child route of /questions/<id>/ is reserved, and a title that slugs to one gets another slug", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const fixed = fs
      .readdirSync(path.resolve(import.meta.dirname, "../../routes"))
      .map((file) => /^questions\.\$id\.([a-z][a-z0-9-]*)\.tsx?$/.exec(file)?.[1])
      .filter((name): name is string => Boolean(name));
    expect(fixed.length).toBeGreaterThan(0);
    expect([...RESERVED_THREAD_SLUGS].sort()).toEqual(fixed.sort());
    for (const name of fixed) {
      const title = `${name[0]!.toUpperCase()}${name.slice(1)}???????????????`;
      expect(slugify(title)).toBe(name);
      expect(threadSlug(title)).not.toBe(name);
      expect(threadSlug(title)).toBe(`${name}-question`);
    }
    expect(threadSlug("View the invoice history")).toBe("view-the-invoice-history");
  });
});
