/**
 * The `lang` attribute for member-written content on a page in `pageLanguage`: the content's own
 * language when it differs, else nothing (the page's applies). Client-safe (ADR 055).
 */
export function langAttr(contentLanguage: string | null | undefined, pageLanguage: string): string | undefined {
  return contentLanguage && contentLanguage !== pageLanguage ? contentLanguage : undefined;
}
