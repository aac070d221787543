import { renderRichText } from "~/modules/content/render-rich-text.server.ts";
import { docToPlainText, textToDoc } from "~/modules/content/rich-text.ts";
import { BODY_MAX_CHARS, parseRichTextInput, RichTextDoc } from "~/modules/content/rich-text.schema.ts";
import { atLeastParams, hasLength } from "~/modules/content/text-length.ts";
import { trimInvisible } from "~/modules/content/plain-text.schema.ts";
import { msg } from "~/utils/messages.ts";

/** Shortest question body and answer, in textLength() of the visible text (a Chinese character counts 3). */
export const QUESTION_MIN_CHARS = 20;
export const ANSWER_MIN_CHARS = 10;

export type PreparedBody = { json: object; html: string; text: string };

/**
 * Turns the submitted body into what a post stores: the validated Tiptap JSON (from the editor, or
 * built from the plain-text fallback when JavaScript is off), its sanitized HTML and its plain text.
 */
export function prepareBody(input: { body?: string; bodyText?: string }, minChars: number): { ok: true; value: PreparedBody } | { ok: false; message: string } {
  let doc: unknown;
  if (input.body && input.body.trim()) {
    const parsed = parseRichTextInput(input.body);
    if (!parsed.ok) return { ok: false, message: parsed.message };
    doc = parsed.doc;
  } else if (input.bodyText && input.bodyText.trim()) {
    const checked = RichTextDoc.safeParse(textToDoc(input.bodyText));
    if (!checked.success) return { ok: false, message: checked.error.issues[0]?.message ?? "messages.content.unreadable" };
    doc = checked.data;
  } else {
    return { ok: false, message: "messages.questions.bodyRequired" };
  }
  // Invisible characters at either end (zero-width spaces, fillers…) are nothing, as in every plain-text field:
  // a body of only those is refused for being too short (the rule of app/modules/content/plain-text.schema.ts).
  const text = trimInvisible(docToPlainText(doc as Parameters<typeof docToPlainText>[0]));
  if (!hasLength(minChars)(text)) return { ok: false, message: msg("messages.content.writeAtLeast", atLeastParams(minChars)) };
  if ([...text].length > BODY_MAX_CHARS) return { ok: false, message: msg("messages.questions.bodyTooLong", { count: BODY_MAX_CHARS }) };
  return { ok: true, value: { json: doc as object, html: renderRichText(doc as Parameters<typeof renderRichText>[0]), text } };
}
