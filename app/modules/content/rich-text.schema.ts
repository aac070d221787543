import { z } from "zod";
import { hasControlCharacters, withoutBidiControls } from "./plain-text.schema.ts";
import {
  HEADING_LEVELS,
  MAX_DOC_BYTES,
  MAX_DOC_DEPTH,
  isSafeImageSrc,
  isSafeLinkHref,
  docToPlainText,
  plainTextLength,
  textToDoc,
} from "./rich-text.ts";
import { atLeastParams, hasLength } from "./text-length.ts";
import { utf8ByteLength } from "./text-limits.ts";
import { msg } from "~/utils/messages.ts";

/**
 * The contract for stored rich text: a Tiptap JSON document made only of the nodes, marks and
 * attributes that `richTextExtensions` define, checked on the server before anything is written
 * (and usable in the browser). Anything else is refused with a message a person can act on, never
 * silently repaired: the renderer sanitizes again, but what is stored must already be clean.
 */

export const BODY_MIN_CHARS = 20;
export const BODY_MAX_CHARS = 30_000;
export const ANSWER_MIN_CHARS = 10;
export const ANSWER_MAX_CHARS = BODY_MAX_CHARS;

export const RICH_TEXT_MESSAGES = {
  unreadable: "messages.content.unreadable",
  tooLong: "messages.content.postTooLong",
  tooDeep: "messages.content.tooDeep",
  notAllowed: "messages.content.notAllowed",
  link: "messages.content.link",
  image: "messages.content.image",
  heading: "messages.content.heading",
  characters: "messages.content.characters",
  codeLanguage: "messages.content.codeLanguage",
  codeMarks: "messages.content.codeMarks",
  repeatedMark: "messages.content.repeatedMark",
} as const;
const KNOWN_MESSAGES = new Set<string>(Object.values(RICH_TEXT_MESSAGES));

export type LinkAttrs = { href: string; target?: string | null; rel?: string | null; class?: string | null; title?: string | null };
export type RichTextMark = { type: "bold" } | { type: "italic" } | { type: "code" } | { type: "link"; attrs: LinkAttrs };
export type TextNode = { type: "text"; text: string; marks?: RichTextMark[] };
export type HardBreakNode = { type: "hardBreak"; marks?: RichTextMark[] };
export type InlineNode = TextNode | HardBreakNode;
export type ParagraphNode = { type: "paragraph"; attrs?: Record<string, never>; content?: InlineNode[] };
export type HeadingNode = { type: "heading"; attrs: { level: number }; content?: InlineNode[] };
export type CodeBlockNode = { type: "codeBlock"; attrs?: { language?: string | null }; content?: { type: "text"; text: string }[] };
export type ListItemNode = { type: "listItem"; attrs?: Record<string, never>; content: [ParagraphNode, ...BlockNode[]] };
export type BulletListNode = { type: "bulletList"; attrs?: Record<string, never>; content: ListItemNode[] };
export type OrderedListNode = { type: "orderedList"; attrs?: { start?: number; type?: "1" | "a" | "A" | "i" | "I" | null }; content: ListItemNode[] };
export type BlockquoteNode = { type: "blockquote"; attrs?: Record<string, never>; content: BlockNode[] };
export type ImageNode = { type: "image"; attrs: { src: string; alt?: string | null; title?: string | null } };
export type BlockNode = ParagraphNode | HeadingNode | CodeBlockNode | BulletListNode | OrderedListNode | BlockquoteNode | ImageNode;
export type RichTextDocument = { type: "doc"; content: BlockNode[] };

// NUL is refused by PostgreSQL's jsonb, and so is a lone UTF-16 surrogate; other control characters
// are refused as in every typed text (plain-text.schema.ts), but for tab and line ends (code blocks).
const savable = (value: string) => !hasControlCharacters(value, { multiline: true });

const Text = z.string().min(1, RICH_TEXT_MESSAGES.unreadable).refine(savable, RICH_TEXT_MESSAGES.characters);
const ShortText = z.string().max(500, RICH_TEXT_MESSAGES.tooLong).refine(savable, RICH_TEXT_MESSAGES.characters);
const NoAttrs = z.object({}).strict().optional();

// Tiptap's link mark also carries target, rel, class and title (the editor fills in their
// defaults, pasted HTML may set them). They are accepted as plain strings and never rendered:
// the renderer sets rel itself and drops the rest.
const LinkMark = z
  .object({
    type: z.literal("link"),
    attrs: z
      .object({
        href: z.string().refine(isSafeLinkHref, RICH_TEXT_MESSAGES.link),
        target: ShortText.nullish(),
        rel: ShortText.nullish(),
        class: ShortText.nullish(),
        title: ShortText.nullish(),
      })
      .strict(),
  })
  .strict();
const SimpleMark = (type: "bold" | "italic" | "code") => z.object({ type: z.literal(type), attrs: NoAttrs }).strict();
const Mark = z.discriminatedUnion("type", [SimpleMark("bold"), SimpleMark("italic"), SimpleMark("code"), LinkMark]);

const Marks = z
  .array(Mark)
  .superRefine((marks, ctx) => {
    const types = marks.map((mark) => mark.type);
    if (new Set(types).size !== types.length) ctx.addIssue({ code: "custom", message: RICH_TEXT_MESSAGES.repeatedMark });
    // The code mark excludes every other mark in Tiptap, so the editor never produces such a mix.
    else if (types.includes("code") && types.length > 1) ctx.addIssue({ code: "custom", message: RICH_TEXT_MESSAGES.codeMarks });
  })
  .optional();

const TextNodeSchema = z.object({ type: z.literal("text"), text: Text, marks: Marks }).strict();
const HardBreakSchema = z.object({ type: z.literal("hardBreak"), attrs: NoAttrs, marks: Marks }).strict();
const Inline = z.discriminatedUnion("type", [TextNodeSchema, HardBreakSchema]);

const Block: z.ZodType<BlockNode> = z.lazy(() => BlockUnion);

const Paragraph = z.object({ type: z.literal("paragraph"), attrs: NoAttrs, content: z.array(Inline).optional() }).strict();
const Heading = z
  .object({
    type: z.literal("heading"),
    attrs: z
      .object({
        level: z.number().refine((level) => (HEADING_LEVELS as readonly number[]).includes(level), RICH_TEXT_MESSAGES.heading),
      })
      .strict(),
    content: z.array(Inline).optional(),
  })
  .strict();
const CodeBlock = z
  .object({
    type: z.literal("codeBlock"),
    attrs: z
      .object({ language: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9+#._-]{0,31}$/, RICH_TEXT_MESSAGES.codeLanguage).nullish() })
      .strict()
      .optional(),
    // Code blocks hold unformatted text only (Tiptap: marks: "").
    content: z.array(z.object({ type: z.literal("text"), text: Text }).strict()).optional(),
  })
  .strict();
// Tiptap's list item content is "paragraph block*".
const ListItem = z
  .object({ type: z.literal("listItem"), attrs: NoAttrs, content: z.tuple([Paragraph]).rest(Block) })
  .strict();
const BulletList = z.object({ type: z.literal("bulletList"), attrs: NoAttrs, content: z.array(ListItem).min(1) }).strict();
const OrderedList = z
  .object({
    type: z.literal("orderedList"),
    attrs: z
      .object({ start: z.number().int().min(0).max(1_000_000).optional(), type: z.enum(["1", "a", "A", "i", "I"]).nullish() })
      .strict()
      .optional(),
    content: z.array(ListItem).min(1),
  })
  .strict();
const Blockquote = z.object({ type: z.literal("blockquote"), attrs: NoAttrs, content: z.array(Block).min(1) }).strict();
const ImageSchema = z
  .object({
    type: z.literal("image"),
    attrs: z
      .object({ src: z.string().refine(isSafeImageSrc, RICH_TEXT_MESSAGES.image), alt: ShortText.nullish(), title: ShortText.nullish() })
      .strict(),
  })
  .strict();

const BlockUnion = z.discriminatedUnion("type", [Paragraph, Heading, CodeBlock, BulletList, OrderedList, Blockquote, ImageSchema]);

const DocShape = z.object({ type: z.literal("doc"), content: z.array(Block).min(1) }).strict();

export { utf8ByteLength };

// Each node adds two levels of JSON (the node object and its content array), plus marks and attrs.
const MAX_JSON_DEPTH = 2 * MAX_DOC_DEPTH + 6;

/**
 * Size and depth are checked first, iteratively, so that a hostile value (a thousand nested lists,
 * a cycle, megabytes of text) is refused before the recursive schema walks it.
 */
function checkBounds(value: unknown): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth > MAX_JSON_DEPTH) return RICH_TEXT_MESSAGES.tooDeep;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push({ value: child, depth: depth + 1 });
  }
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return RICH_TEXT_MESSAGES.unreadable;
  }
  if (json === undefined) return RICH_TEXT_MESSAGES.unreadable;
  return utf8ByteLength(json) > MAX_DOC_BYTES ? RICH_TEXT_MESSAGES.tooLong : null;
}

function nodeDepth(node: { content?: unknown[] }): number {
  let deepest = 0;
  for (const child of node.content ?? []) deepest = Math.max(deepest, nodeDepth(child as { content?: unknown[] }));
  return deepest + 1;
}

/**
 * Text as every typed text is kept (ADR 031): NFC, without bidirectional embeddings, overrides and
 * isolates. A text node left empty is dropped (ProseMirror refuses empty text nodes). The parsed
 * document is a fresh copy, so it is changed in place.
 */
function normalizeDocText(doc: RichTextDocument): RichTextDocument {
  const stack: { content?: unknown[] }[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!Array.isArray(node.content)) continue;
    node.content = node.content.filter((child) => {
      const c = child as { type: string; text?: string; attrs?: { alt?: string | null }; content?: unknown[] };
      if (c.type === "text") {
        c.text = withoutBidiControls(c.text!.normalize("NFC"));
        return c.text !== "";
      }
      if (c.type === "image" && typeof c.attrs?.alt === "string") c.attrs.alt = withoutBidiControls(c.attrs.alt.normalize("NFC"));
      stack.push(c);
      return true;
    });
  }
  return doc;
}

/** A complete, well-formed rich-text document (see the module comment for what is allowed). */
export const RichTextDoc = z
  .unknown()
  .superRefine((value, ctx) => {
    const problem = checkBounds(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, fatal: true });
  })
  .pipe(DocShape)
  .superRefine((doc, ctx) => {
    if (nodeDepth(doc) > MAX_DOC_DEPTH) ctx.addIssue({ code: "custom", message: RICH_TEXT_MESSAGES.tooDeep });
  })
  .transform((doc) => normalizeDocText(doc as RichTextDocument));

/** The most useful message among a failed parse's issues: ours if any, else what kind of problem it is. */
export function richTextErrorMessage(error: z.ZodError): string {
  const known = error.issues.find((issue) => KNOWN_MESSAGES.has(issue.message));
  if (known) return known.message;
  const notAllowed = error.issues.some(
    (issue) => issue.code === "unrecognized_keys" || issue.code === "invalid_union_discriminator" || issue.code === "invalid_literal",
  );
  return notAllowed ? RICH_TEXT_MESSAGES.notAllowed : RICH_TEXT_MESSAGES.unreadable;
}

export type RichTextParseResult = { ok: true; doc: RichTextDocument } | { ok: false; message: string };

/** Reads the editor's hidden field (JSON text) into a checked document. */
export function parseRichTextInput(raw: string): RichTextParseResult {
  if (typeof raw !== "string" || raw.trim() === "") return { ok: false, message: RICH_TEXT_MESSAGES.unreadable };
  if (utf8ByteLength(raw) > MAX_DOC_BYTES) return { ok: false, message: RICH_TEXT_MESSAGES.tooLong };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, message: RICH_TEXT_MESSAGES.unreadable };
  }
  const result = RichTextDoc.safeParse(value);
  return result.success ? { ok: true, doc: result.data } : { ok: false, message: richTextErrorMessage(result.error) };
}

/** True when a document shows nothing: no text other than white space, and no image ("body is required"). */
export function isDocEmpty(doc: RichTextDocument): boolean {
  const stack: { type: string; text?: string; content?: unknown[] }[] = [...doc.content];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "image") return false;
    if (node.type === "text" && node.text && node.text.trim() !== "") return false;
    if (Array.isArray(node.content)) stack.push(...(node.content as typeof stack));
  }
  return true;
}

export type RichTextLimits = { min: number; max: number; emptyMessage: string };

/**
 * Reads a rich-text form field as posted: `<name>` holds the editor's JSON; without JavaScript
 * only `<name>Text` (the fallback textarea) arrives and is turned into paragraphs. Then checks
 * presence and length in plain-text characters.
 */
export function parseRichTextField(
  input: { json?: string | null; text?: string | null },
  limits: RichTextLimits,
): RichTextParseResult {
  let parsed: RichTextParseResult;
  if (typeof input.json === "string" && input.json.trim() !== "") parsed = parseRichTextInput(input.json);
  else if (typeof input.text === "string") parsed = parseRichTextInput(JSON.stringify(textToDoc(input.text)));
  else return { ok: false, message: limits.emptyMessage };
  if (!parsed.ok) return parsed;
  if (isDocEmpty(parsed.doc)) return { ok: false, message: limits.emptyMessage };
  const length = plainTextLength(parsed.doc);
  if (!hasLength(limits.min)(docToPlainText(parsed.doc).trim())) return { ok: false, message: msg("messages.content.writeAtLeast", atLeastParams(limits.min)) };
  if (length > limits.max) return { ok: false, message: msg("messages.content.tooManyChars", { count: limits.max, length }) };
  return parsed;
}
