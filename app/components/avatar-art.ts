/**
 * A member's generated avatar (ADR 052): their initials on a colour picked from a hash of the handle.
 * Computed from the handle and the display name only: no third-party service, no e-mail hash, nothing
 * fetched. Pure and client-safe, so the server and the browser draw the same picture.
 */

/** FNV-1a over the handle's UTF-16 code units: stable, fast, and spreads similar handles apart. */
export function handleHash(handle: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < handle.length; i++) {
    hash ^= handle.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * Background hues; at this saturation and lightness white initials stand at 5.3:1 or more on every one
 * (WCAG AA asks 4.5:1 for text this small). At 34 % lightness the teal (170) was 4.4:1, and axe failed the
 * page of any member whose handle hashed to it (avatar-art.test.ts computes every hue's contrast).
 */
export const AVATAR_HUES = [200, 170, 145, 28, 0, 330, 285, 250, 220, 10, 310, 190];
export const AVATAR_SATURATION = 55;
export const AVATAR_LIGHTNESS = 30;

export function avatarColor(handle: string): string {
  const h = handleHash(handle.toLowerCase());
  return `hsl(${AVATAR_HUES[h % AVATAR_HUES.length]} ${AVATAR_SATURATION}% ${AVATAR_LIGHTNESS}%)`;
}

/**
 * Up to two initials: the first letter of the first two words, or the first character alone for
 * scripts written without spaces (Chinese), taken by grapheme so a combining mark or an emoji stays whole.
 */
let graphemes: Intl.Segmenter | null | undefined;

/** The first grapheme of a word. One segmenter for all calls: making one costs more than segmenting. */
function firstGrapheme(word: string): string {
  // An ASCII character followed by another (or by nothing) is a whole grapheme: no segmenter needed.
  if (word.charCodeAt(0) < 0x80 && (word.length === 1 || word.charCodeAt(1) < 0x80)) return word[0]!;
  graphemes ??= typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  if (graphemes) for (const { segment } of graphemes.segment(word)) return segment;
  return Array.from(word)[0] ?? "";
}

export function initialsOf(name: string, handle: string): string {
  const source = name.trim() || handle;
  const words = source.split(/[\s\-_.]+/u).filter(Boolean);
  const first = firstGrapheme;
  const letters = words.length === 0 ? "?" : words.length === 1 || /\p{Script=Han}/u.test(words[0]!) ? first(words[0]!) : first(words[0]!) + first(words[1]!);
  return letters.toLocaleUpperCase();
}

/** The generated avatar as a standalone SVG document (the same picture as the Avatar component draws inline). */
export function avatarSvg(handle: string, name: string): string {
  const text = initialsOf(name, handle).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img"><rect width="64" height="64" rx="32" fill="${avatarColor(handle)}"/><text x="32" y="32" dy="0.35em" text-anchor="middle" font-family="system-ui, sans-serif" font-size="26" font-weight="600" fill="#fff">${text}</text></svg>`;
}
