/**
 * How long a piece of text is, for minimum lengths (ADR 036). A Han, kana, Bopomofo or Hangul character
 * carries about as much as three Latin letters ("忘记密码" is "Forgot password"), so it counts 3; every
 * other user-perceived character (a grapheme: "ș" typed as s + comma, a flag, a family emoji) counts 1.
 * Maximum lengths stay in plain characters: they bound storage, not meaning.
 *
 * Client-safe (the forms and the suggestion box use it too): Intl.Segmenter only.
 */

/** What one character of a dense East Asian script counts for. */
export const DENSE_CHAR_WEIGHT = 3;

const DENSE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Bopomofo}\p{sc=Hangul}]/u;
const ANY_DENSE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Bopomofo}\p{sc=Hangul}]/gu;

let graphemes: Intl.Segmenter | null | undefined;
function graphemeSegmenter(): Intl.Segmenter | null {
  if (graphemes === undefined) graphemes = typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter("und", { granularity: "grapheme" }) : null;
  return graphemes;
}

/**
 * The length of `text` for a minimum-length rule: dense East Asian characters count 3, any other
 * grapheme 1. Counting stops once `stopAt` is reached (segmenting a 30,000-character post whole takes
 * over 100 ms; a minimum needs its first few characters).
 */
export function textLength(text: string, stopAt = Number.POSITIVE_INFINITY): number {
  const segmenter = graphemeSegmenter();
  if (!segmenter) {
    // Without Intl.Segmenter (old browsers): code points, which over-counts combining marks only.
    const dense = text.match(ANY_DENSE)?.length ?? 0;
    return [...text].length + dense * (DENSE_CHAR_WEIGHT - 1);
  }
  let length = 0;
  for (const { segment } of segmenter.segment(text)) {
    length += DENSE.test(segment) ? DENSE_CHAR_WEIGHT : 1;
    if (length >= stopAt) break;
  }
  return length;
}

/** True when `text` is at least `min` long by textLength(); as a Zod refinement: `.refine(hasLength(15), message)`. */
export const hasLength =
  (min: number) =>
  (text: string): boolean =>
    textLength(text, min) >= min;

/**
 * The fewest characters that can reach `min` (all of them dense): what an HTML `minLength` may ask for
 * without refusing Chinese text the server accepts. The server makes the exact check.
 */
export function shortestLength(min: number): number {
  return Math.ceil(min / DENSE_CHAR_WEIGHT);
}

/** A minimum length as message parameters ("at least {{count}} characters ({{dense}} in Chinese)", ADR 071). */
export function atLeastParams(min: number): { count: number; dense: number } {
  return { count: min, dense: shortestLength(min) };
}
