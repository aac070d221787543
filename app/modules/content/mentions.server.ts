import { prisma, type Tx } from "~/utils/db.server.ts";
import { MAX_MENTIONS, mentionedHandles, MENTION_PATTERN } from "./mentions.ts";

/** The handles among `handles` that belong to active members (one indexed statement; none when empty). */
export async function knownHandles(handles: readonly string[], db: Tx | typeof prisma = prisma): Promise<string[]> {
  if (handles.length === 0) return [];
  const rows = await db.$queryRaw<{ handle: string }[]>`
    SELECT handle FROM users WHERE handle = ANY(${[...handles]}::text[]) AND status = 'active'`;
  const found = new Set(rows.map((r) => r.handle));
  return handles.filter((h) => found.has(h));
}

/** Handles of active members mentioned in a plain text (comments). */
export async function knownMentions(text: string, db: Tx | typeof prisma = prisma): Promise<string[]> {
  return text.includes("@") ? knownHandles(mentionedHandles(text), db) : [];
}

const TAG = /(<[^>]*>)/;
/** Inside these elements a mention stays text: links (no link in a link) and code. */
const NO_MENTION = new Set(["a", "code", "pre"]);

/** Splits sanitized HTML into tags and text runs, calling `onText` for text outside links and code. */
function eachLinkableText(html: string, onText: (text: string) => string): string {
  let depth = 0;
  return html
    .split(TAG)
    .map((part) => {
      if (part.startsWith("<")) {
        const name = /^<\/?([a-z0-9]+)/i.exec(part)?.[1]?.toLowerCase() ?? "";
        if (NO_MENTION.has(name)) depth += part.startsWith("</") ? -1 : 1;
        return part;
      }
      return depth > 0 ? part : onText(part);
    })
    .join("");
}

/**
 * Rendered post HTML (already sanitized) with the mentions of active members made into profile links:
 * `<a href="/u/ann" class="mention">@Ann</a>`. Unknown handles, and "@" inside links and code, stay
 * text. Handles are letters, digits, "_" and "-", so the inserted markup needs no escaping. The
 * fan-out handler finds a post's mentions again by this exact markup.
 */
export async function linkMentions(html: string, db: Tx | typeof prisma = prisma): Promise<string> {
  if (!html.includes("@")) return html;
  const candidates: string[] = [];
  eachLinkableText(html, (text) => {
    candidates.push(...mentionedHandles(text));
    return text;
  });
  const known = new Set(await knownHandles([...new Set(candidates)].slice(0, MAX_MENTIONS), db));
  if (known.size === 0) return html;
  return eachLinkableText(html, (text) =>
    text.replace(MENTION_PATTERN, (whole, before: string, handle: string) =>
      known.has(handle.toLowerCase()) ? `${before}<a href="/u/${handle.toLowerCase()}" class="mention">@${handle}</a>` : whole,
    ),
  );
}

/** The SQL pattern that finds the mention links linkMentions() wrote (for the fan-out statement). */
export const MENTION_LINK_REGEX = 'href="/u/([a-z0-9_-]+)" class="mention"';
