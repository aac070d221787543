import { z } from "zod";
import { plainText } from "~/modules/content/plain-text.schema.ts";

/** Where a search was made: the search page, the header box, or the ask form's suggestions. */
export const SEARCH_SOURCES = ["page", "header", "ask_suggestions"] as const;
export type SearchSource = (typeof SEARCH_SOURCES)[number];

export const PAGE_SIZE = 10;
/** Longer queries are cut (a 10 KB query is searched by its first words, never refused). */
export const MAX_QUERY_LENGTH = 500;
/** Suggestions wait for a title this long by textLength() (ADR 036): three letters, or one Chinese character. */
export const SUGGEST_MIN_LENGTH = 3;

export const SEARCH_QUERY_CHARACTERS = "messages.search.controlCharacters";

// Cut by characters, not UTF-16 units, so the cut never leaves half a surrogate pair.
const query = z
  .string()
  .default("")
  .transform((q) => (q.length > MAX_QUERY_LENGTH ? Array.from(q).slice(0, MAX_QUERY_LENGTH).join("") : q))
  .pipe(plainText({ characters: SEARCH_QUERY_CHARACTERS }));

/**
 * The /search page's parameters; anything malformed falls back to the default rather than failing,
 * except a query with control characters, which is refused (400) rather than searched and logged.
 */
export const SearchParams = z.object({
  q: query,
  type: z.enum(["thread", "article"]).optional().catch(undefined),
  category: z.coerce.number().int().positive().optional().catch(undefined),
  resolved: z
    .string()
    .optional()
    .transform((v) => v === "1" || v === "on" || v === "true")
    .catch(false),
  page: z.coerce.number().int().min(1).max(100).default(1).catch(1),
  from: z.enum(SEARCH_SOURCES).default("page").catch("page"),
});
export type SearchParams = z.infer<typeof SearchParams>;

/** The beacon that records a search (POST /search/log). */
export const LogSearchInput = SearchParams.pick({ q: true, type: true, category: true, resolved: true }).extend({
  from: z.enum(SEARCH_SOURCES),
  /** A result opened from this search, "thread:<id>" or "article:<id>". */
  opened: z.string().regex(/^(thread|article):\d{1,18}$/).optional(),
  /** The search_queries row an opened result belongs to (from an earlier log call). */
  searchId: z.string().regex(/^\d{1,18}$/).optional(),
});

export function docUrl(docKey: string): string {
  const [type, id] = docKey.split(":");
  return type === "article" ? `/kb/${id}` : `/questions/${id}`;
}
