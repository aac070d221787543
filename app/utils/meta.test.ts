import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { metaT, pageTitle } from "./meta.ts";

const page = (lang?: string) => [{ id: "root", data: lang ? { lang } : {} }, { id: "routes/questions.$id.$slug", data: {} }];

describe("page titles in the page's language", () => {
  test("a catalog title with values, in each language, and the languages never share a translator", () => {
    // Asked in turn, so a translator kept for one language would show in the next one's title.
    expect(pageTitle(page("ro"), "i18n.title.resolved", { title: "Factura în lei" })).toBe("[Rezolvată] Factura în lei | Threadwise");
    expect(pageTitle(page("zh-Hans"), "i18n.title.resolved", { title: "如何导出发票" })).toBe("【已解决】如何导出发票 | Threadwise");
    expect(pageTitle(page("en"), "i18n.title.resolved", { title: "Invoice <b>" })).toBe("[Resolved] Invoice <b> | Threadwise");
    expect(pageTitle(page("ro"), "i18n.title.resolved", { title: "Alt titlu" })).toBe("[Rezolvată] Alt titlu | Threadwise");
  });

  test("a member's own title is kept as written; no root data means English", () => {
    expect(pageTitle(page("zh-Hant"), { text: "{{title}} 不是模板" })).toBe("{{title}} 不是模板 | Threadwise");
    expect(metaT(page())("i18n.title.resolved", { title: "X" })).toBe("[Resolved] X");
    expect(metaT(page("ro"))("i18n.title.resolved", { title: "X" })).toBe("[Rezolvată] X");
  });

  test("no route writes its title in English by hand: every <title> comes from the catalog or the member's text", () => {
    const dir = path.resolve(import.meta.dirname, "../routes");
    const handWritten = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".tsx"))
      .filter((f) => /title:\s*["'`][^"'`]*\|\s*Threadwise/.test(fs.readFileSync(path.join(dir, f), "utf8")));
    expect(handWritten).toEqual([]);
  });
});
