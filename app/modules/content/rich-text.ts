import type { Extensions, JSONContent } from "@tiptap/core";
import { Image } from "@tiptap/extension-image";
import { StarterKit } from "@tiptap/starter-kit";

/**
 * Rich text shared by the browser editor and the server renderer: the one list of Tiptap
 * extensions (so both sides agree on what a document may contain), the URL rules for links and
 * images, the size limits, and plain-text helpers for the no-JavaScript form, search, snippets
 * and revision diffs. Client-safe: no server imports.
 *
 * Allowed content: paragraphs, headings h2-h4 (h1 is the page title), bold, italic, inline code,
 * code blocks, bullet and ordered lists, links, images, hard breaks, blockquotes. Strike, underline
 * and horizontal rules come with StarterKit and are switched off: the issue does not list them, and
 * underlined text reads as a link.
 */

/** Largest stored document, in UTF-8 bytes of its JSON (defined with the other byte caps). */
export { MAX_DOC_BYTES } from "./text-limits.ts";
/** Deepest nesting of nodes (doc → list → item → paragraph → text is 5). */
export const MAX_DOC_DEPTH = 20;
export const MAX_URL_LENGTH = 2048;
export const HEADING_LEVELS = [2, 3, 4] as const;
export type HeadingLevel = (typeof HEADING_LEVELS)[number];
/** Every rendered link carries this, whatever the document says. */
export const LINK_REL = "nofollow ugc noopener";
export const UPLOAD_IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;

// Control characters, every Unicode space, zero-width and bidi controls (U+200B-U+200F,
// U+202A-U+202E, U+2066-U+2069) and backslashes: browsers strip or reinterpret these inside URLs
// ("java\tscript:", "https:\\evil.com"), so a URL holding any of them is refused outright.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_URL_CHARS = /[\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\\]/;
const UPLOAD_PATH = /^\/uploads\/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

function parseWebUrl(value: string, protocols: readonly string[]): URL | null {
  if (value.length > MAX_URL_LENGTH || FORBIDDEN_URL_CHARS.test(value)) return null;
  // The scheme must be spelled out and followed by "//host": "http:evil.com" and "https:/x" parse, but only by accident.
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/[^/?#]/i.exec(value)?.[1]?.toLowerCase();
  if (!scheme || !protocols.includes(scheme)) return null;
  try {
    const url = new URL(value);
    if (`${scheme}:` !== url.protocol || !url.hostname) return null;
    // "https://support.example.com@evil.example" hides the real host behind credentials.
    if (url.username || url.password) return null;
    return url;
  } catch {
    return null;
  }
}

/** A link may point to an absolute http(s) address or a mailto: address, nothing else (no relative, protocol-relative or script URLs). */
export function isSafeLinkHref(href: unknown): href is string {
  if (typeof href !== "string" || href === "") return false;
  if (/^mailto:/i.test(href)) {
    return href.length > "mailto:".length && href.length <= MAX_URL_LENGTH && !FORBIDDEN_URL_CHARS.test(href);
  }
  return parseWebUrl(href, ["http", "https"]) !== null;
}

/** An image is either one we stored (a plain path under /uploads/) or an https address; never http (mixed content), data: or anything relative. */
export function isSafeImageSrc(src: unknown): src is string {
  if (typeof src !== "string" || src === "") return false;
  if (src.startsWith("/")) return src.length <= MAX_URL_LENGTH && UPLOAD_PATH.test(src);
  return parseWebUrl(src, ["https"]) !== null;
}

/** The Image node limited to src/alt/title (no width/height/resize), parsing only safe sources, and without the markdown input rule, which would accept any src. */
const RichTextImage = Image.extend({
  addAttributes() {
    return { src: { default: null }, alt: { default: null }, title: { default: null } };
  },
  parseHTML() {
    return [{ tag: "img[src]", getAttrs: (element) => (isSafeImageSrc(element.getAttribute("src")) ? null : false) }];
  },
  addInputRules() {
    return [];
  },
});

/** The one extension list for the editor (useEditor) and the server renderer (its ProseMirror schema). */
export const richTextExtensions: Extensions = [
  StarterKit.configure({
    heading: { levels: [...HEADING_LEVELS] },
    strike: false,
    underline: false,
    horizontalRule: false,
    link: {
      autolink: true,
      openOnClick: false,
      linkOnPaste: true,
      defaultProtocol: "https",
      // In Tiptap v3 `protocols` only adds schemes to a long built-in list (ftp, tel, sms, relative
      // URLs...); the restriction to http, https and mailto comes from isAllowedUri, which guards
      // setLink, pasted HTML, autolinks and renderHTML alike.
      isAllowedUri: (url) => isSafeLinkHref(url),
      HTMLAttributes: { rel: LINK_REL, target: null, class: null },
    },
  }),
  RichTextImage.configure({ inline: false, allowBase64: false }),
];

/** What an empty editor produces. */
export function emptyDoc(): JSONContent {
  return { type: "doc", content: [{ type: "paragraph" }] };
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+/gi;

function textWithLinks(line: string): JSONContent[] {
  const nodes: JSONContent[] = [];
  let last = 0;
  for (const match of line.matchAll(URL_IN_TEXT)) {
    // A sentence's closing punctuation is not part of the address: "see https://x.org/a)."
    const url = match[0].replace(/[.,;:!?)\]}'"]+$/, "");
    const start = match.index ?? 0;
    if (!isSafeLinkHref(url)) continue;
    if (start > last) nodes.push({ type: "text", text: line.slice(last, start) });
    nodes.push({ type: "text", text: url, marks: [{ type: "link", attrs: { href: url } }] });
    last = start + url.length;
  }
  if (last < line.length) nodes.push({ type: "text", text: line.slice(last) });
  return nodes;
}

/**
 * Plain text (the no-JavaScript textarea) to a document: a blank line starts a new paragraph, a
 * single line break stays a hard break, http(s) addresses become links. NUL and other control
 * characters are dropped (PostgreSQL's jsonb refuses NUL).
 */
export function textToDoc(text: string): JSONContent {
  const clean = text
    .replace(/\r\n?/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "");
  const paragraphs = clean
    .split(/\n[ \t]*\n/)
    .map((block) => block.replace(/^\n+|\s+$/g, ""))
    .filter((block) => block.trim() !== "");
  if (paragraphs.length === 0) return emptyDoc();
  return {
    type: "doc",
    content: paragraphs.map((block) => {
      const content: JSONContent[] = [];
      block.split("\n").forEach((line, index) => {
        if (index > 0) content.push({ type: "hardBreak" });
        content.push(...textWithLinks(line.replace(/[ \t]+$/, "")));
      });
      return { type: "paragraph", content };
    }),
  };
}

// Deeper than any valid document (MAX_DOC_DEPTH); stops a hostile or cyclic object from overflowing the stack.
const PLAIN_TEXT_DEPTH_LIMIT = 64;

function inlineText(nodes: JSONContent[] | undefined): string {
  let out = "";
  for (const node of nodes ?? []) {
    if (node.type === "text" && typeof node.text === "string") out += node.text;
    else if (node.type === "hardBreak") out += "\n";
  }
  return out;
}

function indent(text: string, firstPrefix: string, restPrefix: string): string {
  return text
    .split("\n")
    .map((line, index) => (index === 0 ? firstPrefix : restPrefix) + line)
    .join("\n");
}

function blockText(node: JSONContent, depth: number): string | null {
  if (depth > PLAIN_TEXT_DEPTH_LIMIT) return null;
  const children = Array.isArray(node.content) ? node.content : [];
  switch (node.type) {
    case "paragraph":
    case "heading":
    case "codeBlock":
      return inlineText(children);
    case "image": {
      const alt = typeof node.attrs?.alt === "string" ? node.attrs.alt.trim() : "";
      return alt ? `[image: ${alt}]` : "[image]";
    }
    case "bulletList":
    case "orderedList": {
      const start = node.type === "orderedList" && Number.isInteger(node.attrs?.start) ? Number(node.attrs?.start) : 1;
      return children
        .map((item, index) => {
          const marker = node.type === "orderedList" ? `${start + index}. ` : "- ";
          const text = blocksText(Array.isArray(item.content) ? item.content : [], depth + 2);
          return indent(text, marker, " ".repeat(marker.length));
        })
        .join("\n");
    }
    case "blockquote":
      return indent(blocksText(children, depth + 1), "> ", "> ");
    default:
      // Unknown nodes (never valid, but this also runs on whatever is stored): keep their text.
      return children.length ? blocksText(children, depth + 1) : typeof node.text === "string" ? node.text : null;
  }
}

function blocksText(nodes: JSONContent[], depth: number): string {
  return nodes
    .map((node) => blockText(node, depth))
    .filter((text): text is string => text !== null)
    .join("\n");
}

/**
 * A document as plain text, for search, snippets and revision diffs: one line per block, hard
 * breaks as line breaks, list items as "- " (ordered: "1. ", "2. "...) with nested lists indented,
 * quotes as "> ", code blocks verbatim, images as "[image: alt]". Link targets are left out.
 */
export function docToPlainText(doc: JSONContent | null | undefined): string {
  if (!doc || !Array.isArray(doc.content)) return "";
  return blocksText(doc.content, 1);
}

/** Length as people count it (code points, so an emoji or a CJK character counts once). */
export function plainTextLength(doc: JSONContent | null | undefined): number {
  return [...docToPlainText(doc).trim()].length;
}
