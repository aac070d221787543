import { getSchema, type JSONContent } from "@tiptap/core";
import { DOMSerializer, Node as ProseMirrorNode } from "@tiptap/pm/model";
import sanitizeHtml from "sanitize-html";
import { logger } from "~/utils/logger.server.ts";
import { LINK_REL, docToPlainText, isSafeImageSrc, isSafeLinkHref, richTextExtensions } from "./rich-text.ts";

/**
 * Stored rich text (Tiptap JSON) to HTML, on the server, so a thread reads fully without
 * JavaScript. Two independent gates: ProseMirror serializes only what the shared extensions define,
 * then sanitize-html keeps only an allow-list of tags, attributes and URLs. The second gate does not
 * trust the first, nor the schema check done when the text was saved.
 *
 * Why not `generateHTML` from @tiptap/html: in Tiptap v3 its Node build needs happy-dom (an
 * undeclared peer), rebuilds the schema and a whole DOM window on every call (about 5 ms for a
 * short post, too slow for a thread of answers). This does the same serialization
 * (`DOMSerializer.serializeFragment`, which is what generateHTML calls) with the schema built once
 * and a tiny string-building document: about 0.3 ms.
 */

const schema = getSchema(richTextExtensions);
const serializer = DOMSerializer.fromSchema(schema);

const VOID_TAGS = new Set(["br", "img", "hr"]);
const TAG_NAME = /^[a-z][a-z0-9]*$/;
const ATTRIBUTE_NAME = /^[a-z][a-z0-9-]*$/i;

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, "&quot;");
}

type StringNode = StringElement | StringText | StringFragment;

class StringText {
  readonly nodeType = 3;
  constructor(readonly data: string) {}
  toHtml(): string {
    return escapeText(this.data);
  }
}

class StringFragment {
  readonly nodeType: number = 11;
  readonly children: StringNode[] = [];
  appendChild<T extends StringNode>(child: T): T {
    this.children.push(child);
    return child;
  }
  toHtml(): string {
    return this.children.map((child) => child.toHtml()).join("");
  }
}

class StringElement extends StringFragment {
  override readonly nodeType = 1;
  private readonly attributes = new Map<string, string>();
  constructor(readonly tagName: string) {
    super();
    if (!TAG_NAME.test(tagName)) throw new Error(`Refusing to render the tag name ${JSON.stringify(tagName)}`);
  }
  setAttribute(name: string, value: unknown): void {
    if (ATTRIBUTE_NAME.test(name)) this.attributes.set(name.toLowerCase(), String(value));
  }
  setAttributeNS(_namespace: string, name: string, value: unknown): void {
    this.setAttribute(name, value);
  }
  override toHtml(): string {
    let attributes = "";
    for (const [name, value] of this.attributes) attributes += ` ${name}="${escapeAttribute(value)}"`;
    if (VOID_TAGS.has(this.tagName)) return `<${this.tagName}${attributes}>`;
    return `<${this.tagName}${attributes}>${super.toHtml()}</${this.tagName}>`;
  }
}

/** The part of `document` that ProseMirror's DOMSerializer uses. */
const stringDocument = {
  createElement: (tagName: string) => new StringElement(tagName),
  createElementNS: (_namespace: string, tagName: string) => new StringElement(tagName),
  createTextNode: (data: string) => new StringText(data),
  createDocumentFragment: () => new StringFragment(),
};

function serialize(doc: JSONContent): string {
  const node = ProseMirrorNode.fromJSON(schema, doc);
  const fragment = new StringFragment();
  serializer.serializeFragment(node.content, { document: stringDocument as unknown as Document }, fragment as unknown as HTMLElement);
  return fragment.toHtml();
}

const ORDERED_LIST_TYPES = new Set(["1", "a", "A", "i", "I"]);

/**
 * The allow-list. Links: http, https and mailto only, always rel="nofollow ugc noopener" and no
 * target (a link opens where the reader chooses; no window.opener either way). Images: https or
 * our own /uploads/ paths. Code: only a language-xxx class. No style, no event handlers, no data:.
 */
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["p", "h2", "h3", "h4", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "img", "br", "blockquote"],
  allowedAttributes: { a: ["href", "rel"], img: ["src", "alt", "title"], code: ["class"], ol: ["start", "type"] },
  allowedClasses: { code: [/^language-[A-Za-z0-9][A-Za-z0-9+#._-]{0,31}$/] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: false,
  allowedIframeHostnames: [],
  disallowedTagsMode: "discard",
  // Disallowed tags are dropped but their text is kept, except inside these, whose content is code or markup.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "object", "embed", "svg", "math", "template", "xmp", "title"],
  parseStyleAttributes: false,
  nestingLimit: 64,
  transformTags: {
    // A refused link or image loses its URL here and is removed by exclusiveFilter (a link keeps
    // its text). Renaming it to a disallowed tag instead would trip a sanitize-html bug: the
    // rename is remembered per depth and, when the tag is discarded, leaks onto the next sibling's
    // closing tag ("<a …>…</span>"), leaving that link open over the rest of the page.
    a: (_tagName, attribs): sanitizeHtml.Tag => ({ tagName: "a", attribs: isSafeLinkHref(attribs.href) ? { href: attribs.href, rel: LINK_REL } : {} }),
    img: (_tagName, attribs) => {
      if (!isSafeImageSrc(attribs.src)) return { tagName: "img", attribs: {} };
      const kept: Record<string, string> = { src: attribs.src };
      // Every image carries an alt attribute (empty when the author gave none), as screen readers need.
      kept.alt = attribs.alt ?? "";
      if (attribs.title !== undefined) kept.title = attribs.title;
      return { tagName: "img", attribs: kept };
    },
    ol: (_tagName, attribs) => {
      const kept: Record<string, string> = {};
      if (attribs.start && /^\d{1,7}$/.test(attribs.start)) kept.start = attribs.start;
      if (attribs.type && ORDERED_LIST_TYPES.has(attribs.type)) kept.type = attribs.type;
      return { tagName: "ol", attribs: kept };
    },
  },
  exclusiveFilter: (frame) => {
    if (frame.tag === "a" && !frame.attribs.href) return "excludeTag";
    return frame.tag === "img" && !frame.attribs.src;
  },
};

/** Sanitizes HTML with the rich-text allow-list (exported for tests and for HTML from elsewhere). */
export function sanitizeRichHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/**
 * A stored document as safe HTML (without a wrapper: put it in an element with class "rich-text").
 * A document ProseMirror cannot read (it should never pass validation) is shown as its plain text
 * rather than failing the whole page.
 */
export function renderRichText(doc: JSONContent): string {
  let html: string;
  try {
    html = serialize(doc);
  } catch (error) {
    logger.warn({ err: error }, "rich text could not be serialized; showing it as plain text");
    html = docToPlainText(doc)
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => `<p>${escapeText(line)}</p>`)
      .join("");
  }
  return sanitizeRichHtml(html);
}
