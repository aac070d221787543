import { describe, expect, test, vi } from "vitest";
import { createI18n } from "./i18n.ts";

describe("translation functions remember plain keys (ADR 075)", () => {
  test("a plain key is translated once per instance and scope, and gives the catalog's text in each language", () => {
    for (const [lng, accept] of [["en", "Accept this answer"], ["ro", null], ["zh-Hans", null]] as const) {
      const instance = createI18n(lng);
      const t = instance.getFixedT(null, "common");
      const translate = vi.spyOn(instance, "t");
      const first = t("questions.accept");
      expect(t("questions.accept")).toBe(first);
      expect(translate).toHaveBeenCalledTimes(1);
      // The same text i18next gives without the memo.
      expect(first).toBe(instance.t("questions.accept"));
      if (accept) expect(first).toBe(accept);
      expect(first).not.toBe("questions.accept");
    }
  });

  test("each scope keeps its own texts: a key prefix or another namespace never gives a remembered text of another scope", () => {
    const instance = createI18n("ro");
    const whole = instance.getFixedT(null, "common");
    const underQuestions = instance.getFixedT(null, "common", "questions");
    const underFlags = instance.getFixedT(null, "common", "flags");
    // Asked in turn, the same short key under two prefixes, and the full key with none.
    expect(whole("questions.comment")).toBe("Adaugă un comentariu");
    expect(underFlags("flag")).toBe("Raportează");
    expect(underQuestions("comment")).toBe("Adaugă un comentariu");
    expect(underFlags("comment")).not.toBe("Adaugă un comentariu");
    expect(instance.getFixedT(null, "common", "flags")("flag")).toBe("Raportează");
    // One translator per scope, given again to every useTranslation() that asks for it.
    expect(instance.getFixedT(null, "common", "flags")).toBe(underFlags);
    expect(instance.getFixedT(null, "common")).toBe(whole);
    expect(instance.getFixedT("ro", "common")).not.toBe(whole);
  });

  test("a call with values is remembered per value: plurals and names stay right", () => {
    const instance = createI18n("ro");
    const t = instance.getFixedT(null, "common");
    const translate = vi.spyOn(instance, "t");
    expect(t("questions.answers", { count: 1 })).toBe("1 răspuns");
    expect(t("questions.answers", { count: 2 })).toBe("2 răspunsuri");
    expect(t("questions.answers", { count: 20 })).toBe("20 de răspunsuri");
    expect(t("questions.answers", { count: 20 })).toBe("20 de răspunsuri");
    expect(translate).toHaveBeenCalledTimes(3);
    // A number and the same digits as a string are different values.
    expect(t("questions.answers", { count: "20" as unknown as number })).toBe(instance.t("questions.answers", { count: "20" as unknown as number }));
    // An option that is not a plain value (an object) is never remembered.
    translate.mockClear();
    t("questions.answers", { count: 2, context: undefined, nested: { a: 1 } } as never);
    t("questions.answers", { count: 2, context: undefined, nested: { a: 1 } } as never);
    expect(translate).toHaveBeenCalledTimes(2);
  });
});
