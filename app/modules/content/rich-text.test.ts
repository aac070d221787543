import type { JSONContent } from "@tiptap/core";
import { describe, expect, test } from "vitest";
import { docToPlainText, emptyDoc, isSafeImageSrc, isSafeLinkHref, plainTextLength, textToDoc } from "./rich-text.ts";
import { RichTextDoc } from "./rich-text.schema.ts";

const text = (value: string, marks?: JSONContent["marks"]): JSONContent => (marks ? { type: "text", text: value, marks } : { type: "text", text: value });
const p = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });
const item = (...content: JSONContent[]): JSONContent => ({ type: "listItem", content });

describe("plain text to a document (the no-JavaScript form)", () => {
  test("a blank line separates paragraphs and a single line break stays a line break", () => {
    expect(textToDoc("First line\nsecond line\n\nNext paragraph")).toEqual({
      type: "doc",
      content: [p(text("First line"), { type: "hardBreak" }, text("second line")), p(text("Next paragraph"))],
    });
  });

  test("Windows line breaks, several blank lines and blank lines holding spaces all separate paragraphs", () => {
    expect(textToDoc("a\r\n\r\nb\n\n\n\nc\n   \nd")).toEqual({ type: "doc", content: [p(text("a")), p(text("b")), p(text("c")), p(text("d"))] });
  });

  test("keeps indentation inside a paragraph but not trailing white space", () => {
    expect(textToDoc("  indented  \n    more   ")).toEqual({ type: "doc", content: [p(text("  indented"), { type: "hardBreak" }, text("    more"))] });
  });

  test("nothing but white space is an empty document", () => {
    expect(textToDoc("")).toEqual(emptyDoc());
    expect(textToDoc(" \n\n\t ")).toEqual(emptyDoc());
  });

  test("markup is kept as text", () => {
    expect(textToDoc("<script>alert(1)</script>")).toEqual({ type: "doc", content: [p(text("<script>alert(1)</script>"))] });
  });

  test("drops NUL, other control characters and lone surrogates, which PostgreSQL would refuse", () => {
    expect(textToDoc("a\u0000b\u0007c\ud800d 😀")).toEqual({ type: "doc", content: [p(text("abcd 😀"))] });
  });

  test("http and https addresses become links, without the sentence's punctuation", () => {
    expect(textToDoc("See https://example.com/a?b=1). And http://x.example.")).toEqual({
      type: "doc",
      content: [
        p(
          text("See "),
          text("https://example.com/a?b=1", [{ type: "link", attrs: { href: "https://example.com/a?b=1" } }]),
          text("). And "),
          text("http://x.example", [{ type: "link", attrs: { href: "http://x.example" } }]),
          text("."),
        ),
      ],
    });
  });

  test("other schemes are not linked", () => {
    expect(textToDoc("javascript:alert(1) and ftp://x.example")).toEqual({ type: "doc", content: [p(text("javascript:alert(1) and ftp://x.example"))] });
  });

  test("what it produces always passes the schema", () => {
    for (const input of ["Hello", "a\n\nb\nc", "https://example.com", "  \n", "x\u0000", "<b>&amp;</b>", "中文\n\n română"]) {
      expect(RichTextDoc.safeParse(textToDoc(input)).success, JSON.stringify(input)).toBe(true);
    }
  });
});

describe("a document as plain text (search, snippets, diffs)", () => {
  test("puts each block on its own line, lists with markers, quotes with >, code verbatim", () => {
    const doc = {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [text("Resetting a password")] },
        p(text("Open "), text("Settings", [{ type: "bold" }]), text(" and "), text("click", [{ type: "link", attrs: { href: "https://example.com" } }]), { type: "hardBreak" }, text("then wait.")),
        { type: "bulletList", content: [item(p(text("one"))), item(p(text("two")), { type: "bulletList", content: [item(p(text("nested")))] })] },
        { type: "orderedList", attrs: { start: 3 }, content: [item(p(text("third"))), item(p(text("fourth")), p(text("more")))] },
        { type: "codeBlock", attrs: { language: "sh" }, content: [text("npm ci\n  npm test")] },
        { type: "blockquote", content: [p(text("quoted")), p(text("twice"))] },
        { type: "image", attrs: { src: "/uploads/a.png", alt: "Settings page" } },
        { type: "image", attrs: { src: "/uploads/b.png" } },
        { type: "paragraph" },
      ],
    };
    expect(docToPlainText(doc)).toBe(
      [
        "Resetting a password",
        "Open Settings and click",
        "then wait.",
        "- one",
        "- two",
        "  - nested",
        "3. third",
        "4. fourth",
        "   more",
        "npm ci",
        "  npm test",
        "> quoted",
        "> twice",
        "[image: Settings page]",
        "[image]",
        "",
      ].join("\n"),
    );
  });

  test("markup in text stays as written", () => {
    expect(docToPlainText({ type: "doc", content: [p(text("<b>&amp;</b>"))] })).toBe("<b>&amp;</b>");
  });

  test("nothing, or something that is not a document, is empty text", () => {
    expect(docToPlainText(null)).toBe("");
    expect(docToPlainText({ type: "doc" })).toBe("");
  });

  test("length counts characters, not UTF-16 units, and ignores surrounding white space", () => {
    expect(plainTextLength({ type: "doc", content: [p(text("  😀中文  "))] })).toBe(3);
  });

  test("plain text survives a trip through a document", () => {
    expect(docToPlainText(textToDoc("one\ntwo\n\nthree"))).toBe("one\ntwo\nthree");
  });
});

describe("URL rules", () => {
  test.each([
    "https://example.com",
    "http://example.com/path?q=1#top",
    "HTTPS://EXAMPLE.COM",
    "https://例子.测试/路径",
    "https://example.com:8443/x",
    "mailto:help@example.com",
    "MAILTO:help@example.com?subject=Hi",
  ])("%s is a safe link", (href) => {
    expect(isSafeLinkHref(href)).toBe(true);
  });

  test.each([
    "",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " https://example.com",
    "https://example.com/ spaced",
    "java\tscript:alert(1)",
    "data:text/html,hi",
    "vbscript:x",
    "//example.com",
    "/relative",
    "example.com",
    "https:example.com",
    "https:/example.com",
    "https://",
    "https://user:pass@example.com",
    "https:\\\\example.com",
    "ftp://example.com",
    "tel:+123",
    "mailto:",
    "https://example.com/\u202e",
    "https://example.com/\u200b",
    `https://example.com/${"a".repeat(2100)}`,
  ])("%j is not a safe link", (href) => {
    expect(isSafeLinkHref(href)).toBe(false);
  });

  test.each(["https://images.example.com/a.png", "/uploads/a.png", "/uploads/2025/06/ab-cd_ef.webp"])("%s is a safe image", (src) => {
    expect(isSafeImageSrc(src)).toBe(true);
  });

  test.each([
    "http://images.example.com/a.png",
    "data:image/png;base64,AAAA",
    "javascript:alert(1)",
    "//images.example.com/a.png",
    "/uploads/",
    "/uploads/../secret",
    "/uploads/a/../../secret",
    "/uploads//a.png",
    "/uploads/.hidden",
    "/uploads/a.png?x=1",
    "/avatar.png",
    "uploads/a.png",
    "mailto:a@b.c",
  ])("%j is not a safe image", (src) => {
    expect(isSafeImageSrc(src)).toBe(false);
  });
});
