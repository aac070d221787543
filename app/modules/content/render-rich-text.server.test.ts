import { describe, expect, test } from "vitest";
import { renderRichText, sanitizeRichHtml } from "./render-rich-text.server.ts";
import { LINK_REL, MAX_DOC_BYTES, isSafeImageSrc, isSafeLinkHref } from "./rich-text.ts";
import { RICH_TEXT_MESSAGES, parseRichTextInput } from "./rich-text.schema.ts";

/**
 * The server renderer against hostile documents. Every case goes through both gates on its own:
 * the schema must refuse it with the expected message (or accept it, when it is merely odd text),
 * and the renderer, given the same document as if it had been stored anyway, must emit only
 * allow-listed markup.
 */

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ["href", "rel"],
  img: ["src", "alt", "title"],
  code: ["class"],
  ol: ["start", "type"],
};
const ALLOWED_TAGS = new Set(["p", "h2", "h3", "h4", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "img", "br", "blockquote"]);

function decodeAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&amp;/g, "&");
}

/** Reads every tag of the output and fails on anything outside the allow-list. */
function expectSafeHtml(html: string) {
  expect(html).not.toMatch(/<\s*(script|style|iframe|svg|object|embed|math|template|frame|link|meta|base|form|input)\b/i);
  const tag = /<(\/?)([a-z0-9]+)((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/g;
  for (const match of html.matchAll(tag)) {
    const [, closing, name, attributeText] = match;
    expect(ALLOWED_TAGS.has(name), `tag <${name}>`).toBe(true);
    if (closing) continue;
    const attributes = [...attributeText.matchAll(/([a-z-]+)="([^"]*)"/g)].map(([, key, value]) => ({ key, value: decodeAttribute(value) }));
    for (const { key, value } of attributes) {
      expect(ALLOWED_ATTRIBUTES[name] ?? [], `attribute ${key} on <${name}>`).toContain(key);
      expect(value, `${key}=${value}`).not.toMatch(/^\s*(javascript|data|vbscript)\s*:/i);
      if (key === "href") expect(isSafeLinkHref(value), `href ${value}`).toBe(true);
      if (key === "src") expect(isSafeImageSrc(value), `src ${value}`).toBe(true);
      if (key === "class") expect(value).toMatch(/^language-[A-Za-z0-9+#._-]+$/);
    }
    if (name === "a") {
      expect(attributes.find((a) => a.key === "rel")?.value).toBe(LINK_REL);
      expect(attributes.some((a) => a.key === "href")).toBe(true);
    }
    if (name === "img") expect(attributes.some((a) => a.key === "src")).toBe(true);
  }
  // Once the well-formed tags are taken out, no markup may remain: every other "<" was escaped.
  expect(html.replace(tag, "")).not.toMatch(/[<>]/);
}

const p = (...content: unknown[]) => ({ type: "paragraph", content });
const text = (value: string, marks?: unknown[]) => (marks ? { type: "text", text: value, marks } : { type: "text", text: value });
const link = (href: string, attrs: Record<string, unknown> = {}) => ({ type: "link", attrs: { href, ...attrs } });
const image = (src: string, attrs: Record<string, unknown> = {}) => ({ type: "image", attrs: { src, ...attrs } });
const doc = (...content: unknown[]) => ({ type: "doc", content });
const linked = (href: string) => doc(p(text("click me", [link(href)])));

function nestedQuotes(levels: number): unknown {
  let node: unknown = p(text("deep"));
  for (let i = 0; i < levels; i++) node = { type: "blockquote", content: [node] };
  return doc(node);
}

type HostileCase = {
  name: string;
  doc: unknown;
  /** The message the schema must refuse it with; null when the text is odd but harmless and must be stored as written. */
  refused: string | null;
  /** Extra checks of the rendered HTML. */
  html?: (html: string) => void;
};

const M = RICH_TEXT_MESSAGES;

const HOSTILE: HostileCase[] = [
  {
    name: "a script tag typed as text",
    doc: doc(p(text("<script>alert(document.cookie)</script>"))),
    refused: null,
    html: (html) => expect(html).toBe("<p>&lt;script&gt;alert(document.cookie)&lt;/script&gt;</p>"),
  },
  {
    name: "an img tag with onerror typed as text",
    doc: doc(p(text('<img src=x onerror="alert(1)">'))),
    refused: null,
    html: (html) => expect(html).toContain("&lt;img src=x onerror=\"alert(1)\"&gt;"),
  },
  {
    name: "HTML entities in text stay literal text",
    doc: doc(p(text("&lt;script&gt; &amp; &#106;"))),
    refused: null,
    html: (html) => expect(html).toBe("<p>&amp;lt;script&amp;gt; &amp;amp; &amp;#106;</p>"),
  },
  { name: "a javascript: link", doc: linked("javascript:alert(1)"), refused: M.link, html: (html) => expect(html).toBe("<p>click me</p>") },
  { name: "an upper-case JAVASCRIPT: link", doc: linked("JAVASCRIPT:alert(1)"), refused: M.link },
  { name: "a mixed-case JaVaScRiPt: link", doc: linked("JaVaScRiPt:alert(1)"), refused: M.link },
  { name: "a tab inside java\\tscript:", doc: linked("java\tscript:alert(1)"), refused: M.link },
  { name: "a newline inside java\\nscript:", doc: linked("java\nscript:alert(1)"), refused: M.link },
  { name: "leading white space before javascript:", doc: linked("  javascript:alert(1)"), refused: M.link },
  { name: "a NUL byte inside jav\\0ascript:", doc: linked("jav\u0000ascript:alert(1)"), refused: M.link },
  { name: "an entity-encoded &#106;avascript: link", doc: linked("&#106;avascript:alert(1)"), refused: M.link },
  { name: "a javascript&colon; link", doc: linked("javascript&colon;alert(1)"), refused: M.link },
  { name: "a percent-encoded %6A%61vascript: link", doc: linked("%6A%61vascript:alert(1)"), refused: M.link },
  { name: "a data: link", doc: linked("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="), refused: M.link },
  { name: "a vbscript: link", doc: linked("vbscript:msgbox(1)"), refused: M.link },
  { name: "a protocol-relative //evil.example link", doc: linked("//evil.example/login"), refused: M.link },
  { name: "a relative link", doc: linked("/admin/users"), refused: M.link },
  { name: "an https: link without slashes", doc: linked("https:evil.example"), refused: M.link },
  { name: "a backslash link https:\\\\evil", doc: linked("https:\\\\evil.example"), refused: M.link },
  { name: "credentials hiding the host", doc: linked("https://support.example.com@evil.example/"), refused: M.link },
  { name: "an ftp: link", doc: linked("ftp://files.example/x"), refused: M.link },
  { name: "an RTL override inside the href", doc: linked("https://example.com/\u202Egnp.exe"), refused: M.link },
  {
    name: "an RTL override in link text stays text, with the real href",
    doc: doc(p(text("invoice\u202Efdp.exe", [link("https://example.com/invoice.pdf")]))),
    refused: null,
    html: (html) =>
      expect(html).toBe(`<p><a href="https://example.com/invoice.pdf" rel="${LINK_REL}">invoice\u202Efdp.exe</a></p>`),
  },
  {
    name: "target, rel and class on a link are not rendered",
    doc: doc(p(text("x", [link("https://example.com", { target: "_blank", rel: "opener", class: "button" })]))),
    refused: null,
    html: (html) => expect(html).toBe(`<p><a href="https://example.com" rel="${LINK_REL}">x</a></p>`),
  },
  { name: "an onclick attribute on a link", doc: doc(p(text("x", [link("https://example.com", { onclick: "alert(1)" })]))), refused: M.notAllowed },
  { name: "a data: image", doc: doc(image("data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+")), refused: M.image, html: (html) => expect(html).toBe("") },
  { name: "an http: image", doc: doc(image("http://images.example/cat.png")), refused: M.image, html: (html) => expect(html).toBe("") },
  { name: "a javascript: image", doc: doc(image("javascript:alert(1)")), refused: M.image, html: (html) => expect(html).toBe("") },
  { name: "a protocol-relative image", doc: doc(image("//evil.example/x.png")), refused: M.image },
  { name: "an image path escaping /uploads/", doc: doc(image("/uploads/../etc/passwd")), refused: M.image },
  { name: "an image path outside /uploads/", doc: doc(image("/logout")), refused: M.image },
  {
    name: "an onerror attribute smuggled into image attrs",
    doc: doc(image("https://images.example/cat.png", { onerror: "alert(1)", style: "position:fixed" })),
    refused: M.notAllowed,
    html: (html) => expect(html).toBe('<img src="https://images.example/cat.png" alt="" />'),
  },
  {
    name: "markup in an image's alt and title stays text",
    doc: doc(image("https://images.example/cat.png", { alt: '"><script>alert(1)</script>', title: "' onmouseover='x" })),
    refused: null,
    html: (html) => expect(html).not.toContain("<script"),
  },
  { name: "a style attribute on a paragraph", doc: doc({ type: "paragraph", attrs: { style: "background:url(javascript:x)" }, content: [text("x")] }), refused: M.notAllowed },
  { name: "a class attribute on a heading", doc: doc({ type: "heading", attrs: { level: 2, class: "x" }, content: [text("x")] }), refused: M.notAllowed },
  { name: "an iframe node", doc: doc({ type: "iframe", attrs: { src: "https://evil.example" } }), refused: M.notAllowed },
  { name: "an svg node with text", doc: doc({ type: "svg", content: [text("<script>alert(1)</script>")] }), refused: M.notAllowed },
  { name: "an object node", doc: doc({ type: "object", attrs: { data: "evil.swf" } }), refused: M.notAllowed },
  { name: "a script node", doc: doc({ type: "script", content: [text("alert(1)")] }), refused: M.notAllowed },
  { name: "an html node", doc: doc({ type: "html", attrs: { html: "<script>alert(1)</script>" } }), refused: M.notAllowed },
  { name: "an unknown mark", doc: doc(p(text("x", [{ type: "strike" }]))), refused: M.notAllowed },
  { name: "a textStyle mark with a style", doc: doc(p(text("x", [{ type: "textStyle", attrs: { style: "color:red" } }]))), refused: M.notAllowed },
  { name: "the same mark repeated", doc: doc(p(text("x", [{ type: "bold" }, { type: "bold" }, { type: "bold" }]))), refused: M.repeatedMark },
  { name: "a link nested inside inline code", doc: doc(p(text("x", [{ type: "code" }, link("https://example.com")]))), refused: M.codeMarks },
  { name: "marks on code block text", doc: doc({ type: "codeBlock", content: [text("x", [{ type: "bold" }])] }), refused: M.notAllowed },
  {
    name: "a code block language that tries to break out of the class",
    doc: doc({ type: "codeBlock", attrs: { language: 'js" onmouseover="alert(1)' }, content: [text("x")] }),
    refused: M.codeLanguage,
    html: (html) => expect(html).toBe("<pre><code>x</code></pre>"),
  },
  { name: "heading level 1", doc: doc({ type: "heading", attrs: { level: 1 }, content: [text("x")] }), refused: M.heading, html: (html) => expect(html).toBe("<h2>x</h2>") },
  { name: "heading level 7", doc: doc({ type: "heading", attrs: { level: 7 }, content: [text("x")] }), refused: M.heading },
  { name: "heading level as a string", doc: doc({ type: "heading", attrs: { level: "2 onclick=x" }, content: [text("x")] }), refused: M.unreadable },
  { name: "an ordered list start that is not a number", doc: doc({ type: "orderedList", attrs: { start: "1\" onclick=\"x" }, content: [{ type: "listItem", content: [p(text("x"))] }] }), refused: M.unreadable },
  { name: "text directly in the document", doc: doc(text("loose")), refused: M.notAllowed },
  { name: "an empty text node", doc: doc(p(text(""))), refused: M.unreadable },
  { name: "a NUL character in text", doc: doc(p(text("a\u0000b"))), refused: M.characters },
  { name: "a list item without its paragraph", doc: doc({ type: "bulletList", content: [{ type: "listItem", content: [text("x")] }] }), refused: M.notAllowed },
  { name: "a __proto__ key in attrs", doc: JSON.parse('{"type":"doc","content":[{"type":"paragraph","attrs":{"__proto__":{"polluted":true}},"content":[{"type":"text","text":"x"}]}]}'), refused: M.notAllowed },
  { name: "quotes nested 30 deep", doc: nestedQuotes(30), refused: M.tooDeep },
  { name: "a document larger than the limit", doc: doc(...Array.from({ length: 3000 }, () => p(text("x".repeat(100))))), refused: M.tooLong },
];

describe("rendering hostile rich text", () => {
  test("the table covers at least 25 hostile inputs", () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(25);
  });

  test.each(HOSTILE)("$name", ({ doc: hostile, refused, html: check }) => {
    const parsed = parseRichTextInput(JSON.stringify(hostile));
    if (refused === null) expect(parsed).toMatchObject({ ok: true });
    else expect(parsed).toEqual({ ok: false, message: refused });

    const html = renderRichText(hostile as never);
    expectSafeHtml(html);
    check?.(html);
  });

  test("a document nested thousands of levels deep is refused without overflowing the stack", () => {
    const raw = '{"type":"doc","content":['.repeat(5000) + "]}".repeat(5000);
    expect(parseRichTextInput(raw)).toEqual({ ok: false, message: M.tooDeep });
    const deep = '{"type":"blockquote","content":['.repeat(5000) + '{"type":"paragraph"}' + "]}".repeat(5000);
    expect(parseRichTextInput(`{"type":"doc","content":[${deep}]}`)).toEqual({ ok: false, message: M.tooDeep });
  });

  test("raw input over the byte limit is refused before it is parsed", () => {
    expect(parseRichTextInput(`"${"x".repeat(MAX_DOC_BYTES)}"`)).toEqual({ ok: false, message: M.tooLong });
  });

  test("a cyclic object cannot hang the renderer", () => {
    const cyclic: { type: string; content: unknown[] } = { type: "doc", content: [] };
    cyclic.content.push({ type: "blockquote", content: [cyclic] });
    expectSafeHtml(renderRichText(cyclic as never));
  });
});

describe("the sanitizer on its own", () => {
  test.each([
    ['<a href="java&#x09;script:alert(1)">x</a>', "x"],
    ['<a href="&#x6A;avascript:alert(1)">x</a>', "x"],
    ['<a href="//evil.example">x</a>', "x"],
    ['<a href="https://ok.example" target="_blank" onclick="x">x</a>', `<a href="https://ok.example" rel="${LINK_REL}">x</a>`],
    ['<img src="x" onerror="alert(1)">', ""],
    ['<img src="data:image/png;base64,AAAA">', ""],
    ['<img src="/uploads/a/b.png" style="width:1px" width="1">', '<img src="/uploads/a/b.png" alt="" />'],
    ['<p style="color:red" onclick="x" class="c">p</p>', "<p>p</p>"],
    ["<svg><script>alert(1)</script></svg>ok", "ok"],
    ['<iframe src="https://evil.example"></iframe>ok', "ok"],
    ["<h1>title</h1><h5>small</h5>", "titlesmall"],
    ['<code class="language-js evil">c</code>', '<code class="language-js">c</code>'],
    ['<ol start="3" type="a" reversed>x</ol><ol start="x" type="disc">y</ol>', '<ol start="3" type="a">x</ol><ol>y</ol>'],
    ['<a href="javascript:x">bad</a><a href="https://ok.example">good</a> after', `bad<a href="https://ok.example" rel="${LINK_REL}">good</a> after`],
  ])("%s", (input, output) => {
    const html = sanitizeRichHtml(input);
    expect(html).toBe(output);
    expectSafeHtml(html);
  });
});

describe("rendering good content", () => {
  test("headings, marks, lists, quotes, code, links and images render as expected", () => {
    const good = doc(
      { type: "heading", attrs: { level: 2 }, content: [text("Steps")] },
      { type: "heading", attrs: { level: 4 }, content: [text("Details")] },
      p(text("Press "), text("Save", [{ type: "bold" }]), text(" then "), text("wait", [{ type: "italic" }, { type: "bold" }]), text(" and run "), text("npm ci", [{ type: "code" }])),
      {
        type: "bulletList",
        content: [
          { type: "listItem", content: [p(text("one"))] },
          { type: "listItem", content: [p(text("two")), { type: "orderedList", attrs: { start: 1, type: null }, content: [{ type: "listItem", content: [p(text("inner"))] }] }] },
        ],
      },
      { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [p(text("third"))] }] },
      { type: "blockquote", content: [p(text("quoted"), { type: "hardBreak" }, text("line"))] },
      { type: "codeBlock", attrs: { language: "html" }, content: [text("<b>not bold</b>\n  & indented")] },
      p(
        text("See "),
        text("the docs", [link("https://docs.example.com/a?b=1&c=2")]),
        text(" or "),
        text("mail us", [link("mailto:help@example.com")]),
      ),
      image("https://images.example.com/cat.png", { alt: "A cat", title: "Cat" }),
      image("/uploads/2025/ab12.png", { alt: "Screenshot" }),
    );
    expect(parseRichTextInput(JSON.stringify(good))).toMatchObject({ ok: true });
    const html = renderRichText(good as never);
    expectSafeHtml(html);
    expect(html).toBe(
      [
        "<h2>Steps</h2>",
        "<h4>Details</h4>",
        "<p>Press <strong>Save</strong> then <strong><em>wait</em></strong> and run <code>npm ci</code></p>",
        "<ul><li><p>one</p></li><li><p>two</p><ol><li><p>inner</p></li></ol></li></ul>",
        '<ol start="3"><li><p>third</p></li></ol>',
        "<blockquote><p>quoted<br />line</p></blockquote>",
        '<pre><code class="language-html">&lt;b&gt;not bold&lt;/b&gt;\n  &amp; indented</code></pre>',
        `<p>See <a href="https://docs.example.com/a?b=1&amp;c=2" rel="${LINK_REL}">the docs</a> or <a href="mailto:help@example.com" rel="${LINK_REL}">mail us</a></p>`,
        '<img src="https://images.example.com/cat.png" alt="A cat" title="Cat" />',
        '<img src="/uploads/2025/ab12.png" alt="Screenshot" />',
      ].join(""),
    );
  });

  test("non-Latin text renders unchanged", () => {
    const html = renderRichText(doc(p(text("Cum resetez parola? 如何重設密碼？如何重置密码？"))) as never);
    expect(html).toBe("<p>Cum resetez parola? 如何重設密碼？如何重置密码？</p>");
  });

  test("an empty editor renders an empty paragraph", () => {
    expect(renderRichText(doc({ type: "paragraph" }) as never)).toBe("<p></p>");
  });
});
