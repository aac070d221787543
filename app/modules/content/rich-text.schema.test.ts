import { getSchema } from "@tiptap/core";
import { describe, expect, test } from "vitest";
import { LINK_REL, MAX_DOC_BYTES, MAX_DOC_DEPTH, richTextExtensions } from "./rich-text.ts";
import {
  BODY_MAX_CHARS,
  BODY_MIN_CHARS,
  RICH_TEXT_MESSAGES as M,
  RichTextDoc,
  isDocEmpty,
  parseRichTextField,
  parseRichTextInput,
  type RichTextDocument,
} from "./rich-text.schema.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

const schema = getSchema(richTextExtensions);
const p = (value?: string) => (value ? { type: "paragraph", content: [{ type: "text", text: value }] } : { type: "paragraph" });
const doc = (...content: unknown[]) => ({ type: "doc", content }) as RichTextDocument;
const bodyLimits = { min: BODY_MIN_CHARS, max: BODY_MAX_CHARS, emptyMessage: "Write the body of your question" };

describe("the rich-text schema", () => {
  test("the editor's schema holds exactly the allowed nodes and marks", () => {
    expect(Object.keys(schema.nodes).sort()).toEqual(
      ["blockquote", "bulletList", "codeBlock", "doc", "hardBreak", "heading", "image", "listItem", "orderedList", "paragraph", "text"].sort(),
    );
    expect(Object.keys(schema.marks).sort()).toEqual(["bold", "code", "italic", "link"]);
  });

  test("accepts what the editor produces, with every attribute the editor fills in", () => {
    const { nodes, marks } = schema;
    const built = nodes.doc.create(null, [
      nodes.heading.create({ level: 3 }, schema.text("Title")),
      nodes.paragraph.create(null, [
        schema.text("a link", [marks.link.create({ href: "https://example.com" })]),
        nodes.hardBreak.create(null, null, [marks.bold.create()]),
        schema.text("bold italic", [marks.bold.create(), marks.italic.create()]),
        schema.text("code", [marks.code.create()]),
      ]),
      nodes.orderedList.create(null, [nodes.listItem.create(null, nodes.paragraph.create(null, schema.text("one")))]),
      nodes.bulletList.create(null, [
        nodes.listItem.create(null, [
          nodes.paragraph.create(null, schema.text("two")),
          nodes.bulletList.create(null, nodes.listItem.create(null, nodes.paragraph.create())),
        ]),
      ]),
      nodes.codeBlock.create(null, schema.text("const a = 1;")),
      nodes.blockquote.create(null, nodes.paragraph.create(null, schema.text("quote"))),
      nodes.image.create({ src: "/uploads/ab/cd.webp" }),
      nodes.paragraph.create(),
    ]);
    const json = built.toJSON();
    // The defaults really are in the JSON, so the schema has to accept them.
    expect(json.content[1].content[0].marks[0].attrs).toEqual({ href: "https://example.com", target: null, rel: LINK_REL, class: null, title: null });
    expect(json.content[2].attrs).toEqual({ start: 1, type: null });
    expect(json.content[6]).toEqual({ type: "image", attrs: { src: "/uploads/ab/cd.webp", alt: null, title: null } });
    const parsed = parseRichTextInput(JSON.stringify(json));
    expect(parsed).toEqual({ ok: true, doc: json });
  });

  test.each([
    ["not JSON", "{type: doc}", M.unreadable],
    ["an empty string", "", M.unreadable],
    ["a JSON string", '"hello"', M.unreadable],
    ["a JSON array", "[]", M.unreadable],
    ["null", "null", M.unreadable],
    ["a paragraph instead of a document", JSON.stringify(p("x")), M.notAllowed],
    ["a document without content", '{"type":"doc"}', M.unreadable],
    ["a document with no blocks", '{"type":"doc","content":[]}', M.unreadable],
    ["unknown keys on the document", '{"type":"doc","content":[{"type":"paragraph"}],"attrs":{"x":1}}', M.notAllowed],
    ["a list without items", '{"type":"doc","content":[{"type":"bulletList","content":[]}]}', M.unreadable],
    ["a paragraph inside a paragraph", JSON.stringify(doc({ type: "paragraph", content: [p("x")] })), M.notAllowed],
    ["an image inside a paragraph", JSON.stringify(doc({ type: "paragraph", content: [{ type: "image", attrs: { src: "/uploads/a.png" } }] })), M.notAllowed],
    ["a lone surrogate in text", JSON.stringify(doc(p("a\ud800b"))), M.characters],
    ["a NUL in text", JSON.stringify(doc(p("a\u0000b"))), M.characters],
    ["another control character in text", JSON.stringify(doc(p("a\u001bb"))), M.characters],
    ["a C1 control in an alt text", JSON.stringify(doc({ type: "image", attrs: { src: "/uploads/a.png", alt: "a\u0085b" } })), M.characters],
    ["a huge alt text", JSON.stringify(doc({ type: "image", attrs: { src: "/uploads/a.png", alt: "x".repeat(501) } })), M.tooLong],
  ])("refuses %s with a clear message", (_name, raw, message) => {
    expect(parseRichTextInput(raw)).toEqual({ ok: false, message });
  });

  test("keeps text NFC and without bidirectional overrides; tabs and line ends stay in code blocks", () => {
    const raw = JSON.stringify(
      doc(
        { type: "paragraph", content: [{ type: "text", text: "Cafe\u0301 " }, { type: "text", text: "\u202e", marks: [{ type: "bold" }] }, { type: "text", text: "file \u202etxt.exe\u202c" }] },
        { type: "codeBlock", content: [{ type: "text", text: "if (a)\n\treturn;" }] },
      ),
    );
    expect(parseRichTextInput(raw)).toEqual({
      ok: true,
      doc: doc(
        { type: "paragraph", content: [{ type: "text", text: "Caf\u00e9 " }, { type: "text", text: "file txt.exe" }] },
        { type: "codeBlock", content: [{ type: "text", text: "if (a)\n\treturn;" }] },
      ),
    });
  });

  test(`accepts nesting up to ${MAX_DOC_DEPTH} levels and refuses one more`, () => {
    const quoted = (levels: number) => {
      let node: unknown = p("deep");
      for (let i = 0; i < levels; i++) node = { type: "blockquote", content: [node] };
      return doc(node);
    };
    // doc + quotes + paragraph + text
    expect(RichTextDoc.safeParse(quoted(MAX_DOC_DEPTH - 3)).success).toBe(true);
    expect(parseRichTextInput(JSON.stringify(quoted(MAX_DOC_DEPTH - 2)))).toEqual({ ok: false, message: M.tooDeep });
  });

  test("a long post in Chinese fits within the size limit", () => {
    const chinese = "如何重設密碼".repeat(BODY_MAX_CHARS / 6);
    const raw = JSON.stringify(doc(p(chinese)));
    expect(new TextEncoder().encode(raw).length).toBeLessThan(MAX_DOC_BYTES);
    expect(parseRichTextInput(raw).ok).toBe(true);
  });

  test("the size limit counts UTF-8 bytes, not characters", () => {
    const characters = Math.ceil(MAX_DOC_BYTES / 3);
    expect(RichTextDoc.safeParse(doc(p("中".repeat(characters)))).success).toBe(false);
    expect(RichTextDoc.safeParse(doc(p("e".repeat(characters)))).success).toBe(true);
  });
});

describe("empty documents", () => {
  test.each([
    ["an empty paragraph", doc(p())],
    ["white space only", doc(p("   \t "))],
    ["hard breaks only", doc({ type: "paragraph", content: [{ type: "hardBreak" }, { type: "hardBreak" }] })],
    ["an empty list item and heading", doc({ type: "heading", attrs: { level: 2 } }, { type: "bulletList", content: [{ type: "listItem", content: [p()] }] })],
  ])("%s counts as empty", (_name, value) => {
    expect(isDocEmpty(value)).toBe(true);
  });

  test.each([
    ["a word", doc(p("hi"))],
    ["an image alone", doc({ type: "image", attrs: { src: "/uploads/a.png" } })],
    ["code in a nested list", doc({ type: "bulletList", content: [{ type: "listItem", content: [p(), { type: "codeBlock", content: [{ type: "text", text: "x" }] }] }] })],
  ])("%s is content", (_name, value) => {
    expect(isDocEmpty(value)).toBe(false);
  });
});

describe("reading a rich-text form field", () => {
  const long = "This is long enough to be a question body.";

  test("prefers the editor's JSON over the fallback text", () => {
    const result = parseRichTextField({ json: JSON.stringify(doc(p(long))), text: "ignored" }, bodyLimits);
    expect(result).toEqual({ ok: true, doc: doc(p(long)) });
  });

  test("without JavaScript, turns the fallback text into paragraphs", () => {
    const result = parseRichTextField({ text: `${long}\n\nSecond paragraph.` }, bodyLimits);
    expect(result).toEqual({ ok: true, doc: doc(p(long), p("Second paragraph.")) });
  });

  test("an empty body gets the field's own message", () => {
    expect(parseRichTextField({}, bodyLimits)).toEqual({ ok: false, message: bodyLimits.emptyMessage });
    expect(parseRichTextField({ json: JSON.stringify(doc(p())) }, bodyLimits)).toEqual({ ok: false, message: bodyLimits.emptyMessage });
    expect(parseRichTextField({ text: " \n\n " }, bodyLimits)).toEqual({ ok: false, message: bodyLimits.emptyMessage });
  });

  test("too short and too long bodies are refused with their limits", () => {
    expect(inEnglish(parseRichTextField({ text: "Too short" }, bodyLimits))).toEqual({ ok: false, message: `Write at least ${BODY_MIN_CHARS} characters (7 in Chinese)` });
    const result = parseRichTextField({ text: "x".repeat(BODY_MAX_CHARS + 1) }, bodyLimits);
    expect(inEnglish(result)).toEqual({ ok: false, message: "Use at most 30,000 characters (now 30,001)" });
  });

  test("length is counted with a Chinese character as three (ADR 036), so seven Chinese characters are enough", () => {
    expect(parseRichTextField({ text: "我的帳戶無法登入請問該怎麼辦才好呢謝謝" + "。" }, bodyLimits).ok).toBe(true);
    expect(parseRichTextField({ text: "帳戶無法登入了" }, bodyLimits).ok).toBe(true);
    expect(inEnglish(parseRichTextField({ text: "帳戶無法登入" }, bodyLimits))).toEqual({ ok: false, message: `Write at least ${BODY_MIN_CHARS} characters (7 in Chinese)` });
  });

  test("malformed JSON is refused, not replaced by the fallback text", () => {
    expect(parseRichTextField({ json: "{not json", text: long }, bodyLimits)).toEqual({ ok: false, message: M.unreadable });
  });
});
