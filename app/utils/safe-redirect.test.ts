import { describe, expect, test } from "vitest";
import { HOSTILE_REDIRECTS } from "../../tests/support/hostile-redirects.ts";
import { safeRedirect } from "./safe-redirect.ts";

/** Where a browser would go from https://forum.example with `location` as the redirect target. */
function browserTarget(location: string) {
  return new URL(location, "https://forum.example/login");
}

describe("safeRedirect", () => {
  test.each(HOSTILE_REDIRECTS.map((t) => [JSON.stringify(t), t]))("refuses %s", (_, target) => {
    expect(safeRedirect(target)).toBe("/");
    expect(safeRedirect(target, "")).toBe("");
  });

  test("nothing it returns leaves the site, whatever it is given", () => {
    const pieces = ["/", "//", "\\", "\t", "\n", " ", ".", "..", "evil.example", "%2f", "%09", "?", "#", "@", ":", "北京", "ș"];
    for (const a of pieces) for (const b of pieces) for (const c of pieces) {
      const target = `/${a}${b}${c}`;
      const result = safeRedirect(target);
      expect(browserTarget(result).origin, JSON.stringify(target)).toBe("https://forum.example");
      expect(result, JSON.stringify(target)).toMatch(/^\/(?![/\\])/);
    }
  });

  test("keeps a path on the site, with its query and fragment, in any language", () => {
    expect(safeRedirect("/account")).toBe("/account");
    expect(safeRedirect("/questions/12/export-csv?sort=votes#answer-3")).toBe("/questions/12/export-csv?sort=votes#answer-3");
    const chinese = safeRedirect("/tags/北京?q=图书馆");
    expect(decodeURIComponent(chinese)).toBe("/tags/北京?q=图书馆");
    expect(decodeURIComponent(safeRedirect("/kb/facturare/exportul-facturilor-în-românia"))).toBe("/kb/facturare/exportul-facturilor-în-românia");
  });

  test("takes nothing that is not a string", () => {
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(undefined, "/questions")).toBe("/questions");
  });
});
