import { describe, expect, test } from "vitest";
import { analyze, analyzeQuery, detectLanguages } from "./analyze.ts";

describe("analyze", () => {
  test("English text is stemmed and its stop words are dropped", () => {
    expect(analyze("How do I reset my passwords after the update?")).toEqual(["reset", "password", "updat"]);
  });

  test("Romanian diacritics, cedilla and comma forms all give the same terms", () => {
    const forms = ["Factură", "factura", "Facturi", "FACTURĂ"].map((word) => analyze(`${word} nu se descarcă`));
    for (const terms of forms) expect(terms).toEqual(forms[0]);
    expect(analyze("ştergere şi ţară")).toEqual(analyze("ștergere și țară"));
    expect(analyze("ştergere şi ţară")).toEqual(analyze("stergere si tara"));
  });

  test("Traditional and Simplified Chinese give the same words", () => {
    expect(analyze("如何在電腦上安裝打印機驅動程式")).toEqual(analyze("如何在电脑上安装打印机驱动程式"));
    expect(analyze("圖書館")).toEqual(analyze("图书馆"));
    expect(analyze("我的帳戶被鎖定了")).not.toContain("的");
  });

  test("a document may mix the three languages", () => {
    const text = "Eroare la instalarea driverului. The printer does not print. 打印机不工作";
    expect(new Set(detectLanguages(text))).toEqual(new Set(["ro", "en", "zh"]));
    const terms = analyze(text);
    expect(terms).toContain("printer");
    expect(terms).toContain("instal");
    expect(terms).toContain("打印");
  });

  test("code-like words are kept whole and overlong words are dropped", () => {
    expect(analyze("c++ node.js C# " + "x".repeat(50))).toEqual(["c++", "node.js", "c#"]);
  });
});

describe("analyzeQuery", () => {
  test("a query without a language hint is read as English and as Romanian", () => {
    const query = analyzeQuery("factura");
    expect(query.variants).toContainEqual(analyze("factură nu se descarcă").slice(0, 1));
  });

  test("a query with Romanian letters is read as Romanian only", () => {
    expect(analyzeQuery("factură").variants).toEqual([["factur"]]);
  });

  test("hostile queries give bounded, plain terms", () => {
    expect(analyzeQuery("title:foo~2 bar^10 +baz -qux *").terms.every((t) => /^[\p{L}\p{N}.+#]+$/u.test(t))).toBe(true);
    expect(analyzeQuery("?!:~^*").variants).toEqual([]);
    expect(analyzeQuery("🙂🚀").variants).toEqual([]);
    const long = analyzeQuery("word ".repeat(2000) + Array.from({ length: 50 }, (_, i) => `term${i}`).join(" "));
    expect(long.variants.every((v) => v.length <= 12)).toBe(true);
  });

  test("the last typed word is offered for prefix completion", () => {
    expect(analyzeQuery("reset pass").lastWord?.term).toBe("pass");
    expect(analyzeQuery("reset pass ").lastWord).toBeNull();
  });
});
