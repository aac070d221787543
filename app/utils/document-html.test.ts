import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import { collectDocumentHtml, DocumentHtmlContext, htmlForData, SanitizedHtml, type DocumentHtml } from "./document-html.tsx";

const context = (documentHtml?: DocumentHtml) => ({ nonce: "", requestId: "r", log: undefined as never, documentHtml });

test("a document request keeps the body for the markup and sends null; a data request sends the body", () => {
  const kept: DocumentHtml = new Map();
  expect(htmlForData(context(kept), "post-1", "<p>Șterge filtrul</p>")).toBeNull();
  expect(kept.get("post-1")).toBe("<p>Șterge filtrul</p>");
  expect(htmlForData(context(), "post-1", "<p>按月导出</p>")).toBe("<p>按月导出</p>");
});

test("the markup has the data's HTML when it has it, else the page's copy, keyed for the browser to read back", () => {
  const page: DocumentHtml = new Map([["post-7", "<p>按月导出 &lt;CSV&gt;</p>"]]);
  const render = (html: string | null) =>
    renderToStaticMarkup(createElement(DocumentHtmlContext.Provider, { value: page }, createElement(SanitizedHtml, { htmlKey: "post-7", html, className: "rich-text", lang: "zh" })));
  expect(render(null)).toBe('<div class="rich-text" lang="zh" data-html-key="post-7"><p>按月导出 &lt;CSV&gt;</p></div>');
  expect(render("<p>Edited</p>")).toBe('<div class="rich-text" lang="zh" data-html-key="post-7"><p>Edited</p></div>');
  expect(renderToStaticMarkup(createElement(SanitizedHtml, { htmlKey: "post-8", html: null }))).toBe('<div data-html-key="post-8"></div>');
});

test("the browser reads every keyed element's HTML back from the page", () => {
  const elements = [
    { getAttribute: (name: string) => (name === "data-html-key" ? "post-7" : null), innerHTML: "<p>按月导出</p>" },
    { getAttribute: (name: string) => (name === "data-html-key" ? "article-3" : null), innerHTML: "<p>Facturi</p>" },
  ];
  const root = { querySelectorAll: (selector: string) => (selector === "[data-html-key]" ? elements : []) } as unknown as ParentNode;
  expect([...collectDocumentHtml(root)]).toEqual([["post-7", "<p>按月导出</p>"], ["article-3", "<p>Facturi</p>"]]);
});
