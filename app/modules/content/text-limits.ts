import { z } from "zod";

/**
 * Byte caps on text input (docs/decisions/032-request-body-limits.md). Every text field of a form
 * schema starts with `boundedString()`, so an oversized value is refused by its UTF-8 size before
 * it is trimmed, normalised, split, matched or parsed. Client-safe and light: no editor imports.
 */

/** Largest stored document, in UTF-8 bytes of its JSON. 30,000 CJK characters are 90 KB before markup, so 64 KiB would refuse a legitimate long post in Chinese. */
export const MAX_DOC_BYTES = 256 * 1024;

/**
 * The byte cap of a field that allows `chars` characters: any character is at most 4 bytes of
 * UTF-8, so a value the character limit accepts always fits (with room for spaces trimmed later).
 */
export const bytesForChars = (chars: number) => 4 * chars;

/** UTF-8 size without allocating an encoded copy. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Whether `text` is at most `maxBytes` of UTF-8. A UTF-16 unit is 1 to 3 bytes, so most strings
 * are decided by their length alone and only the rest are counted.
 */
export function fitsInBytes(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return false;
  if (text.length * 3 <= maxBytes) return true;
  return utf8ByteLength(text) <= maxBytes;
}

type StringParams = { required_error?: string; invalid_type_error?: string };

/**
 * A string refused with `message` when it is over `maxBytes` of UTF-8, before anything else runs:
 * pipe it into the field's own rules (`boundedString(…).pipe(z.string().trim().max(…))`).
 */
export function boundedString(maxBytes: number, message: string, params?: StringParams) {
  return z.string(params).superRefine((text, ctx) => {
    if (!fitsInBytes(text, maxBytes)) ctx.addIssue({ code: z.ZodIssueCode.custom, message, params: { maxBytes }, fatal: true });
  });
}

/** The same cap over a field that may arrive once (a string) or repeated (an array of strings), all parts together. */
export function boundedStrings(maxBytes: number, message: string) {
  return z.union([z.string(), z.array(z.string())]).superRefine((value, ctx) => {
    if (!fitsInBytes(Array.isArray(value) ? value.join("") : value, maxBytes)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message, params: { maxBytes }, fatal: true });
    }
  });
}
