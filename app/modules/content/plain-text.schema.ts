import { z } from "zod";
import { boundedString } from "./text-limits.ts";

/**
 * The one rule for text people type into a form field (titles, tags, names, handles, comments,
 * reasons, bios, search queries), used by every schema in `app/modules/<domain>/<domain>.schema.ts`
 * so that the browser and the server apply it alike (ADR 031):
 *
 * 1. Control characters are refused with a message: C0 controls (NUL included: PostgreSQL refuses
 *    it in text), DEL, C1 controls and lone UTF-16 surrogates. Multi-line text may hold tab, line
 *    feed and carriage return (line ends become "\n").
 * 2. Unicode NFC, so "é" typed as e + U+0301 and as U+00E9 are the same title, tag and search.
 * 3. Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are removed:
 *    they can make text show in another order than it is stored ("Trojan Source"). The marks LRM,
 *    RLM and ALM, which reorder nothing by themselves, stay for right-to-left writers.
 * 4. White space and invisible characters are trimmed from both ends; a text that is nothing but
 *    invisible characters (zero-width spaces, Hangul fillers, a braille blank…) is therefore empty
 *    and gets the field's "required" message. Invisible characters between visible ones stay: the
 *    zero-width joiner and non-joiner are part of emoji and of several scripts.
 */

export const PLAIN_TEXT_MESSAGES = {
  characters: "messages.content.controlCharacters",
} as const;

// eslint-disable-next-line no-control-regex
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
/** Shows nothing: white space, default-ignorable code points (zero-width characters, soft hyphen, BOM, fillers, variation selectors, tags) and the braille blank. */
const INVISIBLE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]$/u;
/** Variation selectors and tag characters end emoji (❤️, flags): never trimmed from the end. */
const ENDS_EMOJI = /^[\ufe00-\ufe0f\u{e0020}-\u{e007f}]$/u;

export type TextKind = { multiline?: boolean };

/** True when the text holds a character that cannot be saved (rule 1). */
export function hasControlCharacters(value: string, { multiline = false }: TextKind = {}): boolean {
  return (multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(value) || LONE_SURROGATE.test(value);
}

/** Removes bidirectional embeddings, overrides and isolates (rule 3). */
export function withoutBidiControls(value: string): string {
  return value.replace(BIDI_CONTROLS, "");
}

/** Trims white space and invisible characters from both ends, in linear time (rule 4). */
export function trimInvisible(value: string): string {
  const chars = Array.from(value);
  let start = 0;
  while (start < chars.length && INVISIBLE.test(chars[start]!)) start += 1;
  let end = chars.length;
  while (end > start && INVISIBLE.test(chars[end - 1]!) && !ENDS_EMOJI.test(chars[end - 1]!)) end -= 1;
  return start === 0 && end === chars.length ? value : chars.slice(start, end).join("");
}

/** Rules 2 to 4 on text that passed rule 1. */
export function normalizePlainText(value: string, { multiline = false }: TextKind = {}): string {
  let text = withoutBidiControls(value.normalize("NFC"));
  if (multiline) text = text.replace(/\r\n?/g, "\n");
  return trimInvisible(text);
}

/** True when nothing visible is left once invisible characters are removed. */
export function isBlank(value: string): boolean {
  return trimInvisible(withoutBidiControls(value)) === "";
}

export type PlainTextOptions = TextKind & {
  /** The message for a missing or blank value; without it, blank text is the empty string. */
  required?: string;
  /** The message for control characters, when the field needs its own words. */
  characters?: string;
};

/**
 * A text field as typed, checked and normalised; compose the field's own rules after it with
 * `.pipe(z.string().min(…).max(…))` (their lengths count the normalised text).
 */
export function plainText(options: PlainTextOptions = {}) {
  const multiline = options.multiline ?? false;
  return z
    .string({ required_error: options.required, invalid_type_error: options.required })
    .superRefine((value, ctx) => {
      if (hasControlCharacters(value, { multiline })) ctx.addIssue({ code: "custom", message: options.characters ?? PLAIN_TEXT_MESSAGES.characters, fatal: true });
    })
    .transform((value) => normalizePlainText(value, { multiline }))
    .superRefine((value, ctx) => {
      if (options.required && value === "") ctx.addIssue({ code: "custom", message: options.required, fatal: true });
    });
}

/**
 * `plainText()` behind a byte cap (ADR 032): a value over `maxBytes` is refused with `tooLong` before
 * it is checked, normalised or trimmed, so a huge field costs nothing more than its size check.
 */
export function typedText(maxBytes: number, tooLong: string, options: PlainTextOptions = {}) {
  return boundedString(maxBytes, tooLong, { required_error: options.required, invalid_type_error: options.required }).pipe(plainText(options));
}
