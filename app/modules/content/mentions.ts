/**
 * `@handle` mentions in posts and comments (issue 18). Client-safe: comments are linked when shown,
 * posts when written (mentions.server.ts). A mention is "@" followed by 3-30 letters, digits, "_"
 * or "-" (the handle rules), not preceded by a letter, digit or one of "_.@/-", so an e-mail address
 * or a URL path is not one. Only handles of existing members become links; others stay plain text.
 */
export const MENTION_PATTERN = /(^|[^A-Za-z0-9_.@/-])@([A-Za-z0-9_-]{3,30})(?![A-Za-z0-9_-])/g;

/** Most mentions one text may notify: more is a mass mention, and the rest stay text. */
export const MAX_MENTIONS = 20;

/** The distinct handles (lower case, as stored) a text mentions, in order, at most MAX_MENTIONS. */
export function mentionedHandles(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(MENTION_PATTERN)) {
    seen.add(match[2]!.toLowerCase());
    if (seen.size >= MAX_MENTIONS) break;
  }
  return [...seen];
}

export type MentionPart = string | { handle: string; text: string };

/** A text cut into plain parts and the mentions of `known` handles (lower case), for rendering. */
export function splitMentions(text: string, known: readonly string[]): MentionPart[] {
  if (known.length === 0 || !text.includes("@")) return [text];
  const wanted = new Set(known);
  const parts: MentionPart[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const handle = match[2]!.toLowerCase();
    if (!wanted.has(handle)) continue;
    const start = (match.index ?? 0) + match[1]!.length;
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ handle, text: `@${match[2]}` });
    last = start + 1 + match[2]!.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
