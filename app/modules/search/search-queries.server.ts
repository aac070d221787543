import type { NamedUser } from "~/components/user-name.tsx";
import { categoryMap, expertIn } from "~/modules/reputation/expert-marks.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { analyze } from "./analyze.ts";
import { searchEngine, type RankedHit, type SearchEngine } from "./search-engine.server.ts";
import { PAGE_SIZE, docUrl, type SearchParams } from "./search.schema.ts";

export type Highlighted = Array<{ text: string; hit: boolean }>;

export type SearchResultItem = {
  docKey: string;
  type: "thread" | "article";
  url: string;
  title: Highlighted;
  snippet: Highlighted;
  category: { id: number; name: string; slug: string } | null;
  resolved: boolean;
  score: number;
  /** The asker of a thread, the owner of an article, with their expert marks. */
  author: NamedUser | null;
};

export type SearchPage =
  | { status: "warming" }
  | { status: "empty" }
  | { status: "ok"; total: number; page: number; pageCount: number; matchedAll: boolean; items: SearchResultItem[]; terms: string[]; language: string };

const SNIPPET_CHARS = 220;
const WORD = /[\p{L}\p{N}]+(?:[.+#][\p{L}\p{N}+#]+)*|[\u3400-\u9fff\uf900-\ufaff]+/gu;

/** Words already analyzed (bounded): snippets analyze the same words over and over. */
const wordTerms = new Map<string, string[]>();
function termsOf(word: string): string[] {
  const key = word.toLowerCase();
  let terms = wordTerms.get(key);
  if (!terms) {
    terms = analyze(word);
    if (wordTerms.size > 50_000) wordTerms.clear();
    wordTerms.set(key, terms);
  }
  return terms;
}

/** Splits text into plain and highlighted parts: a word is highlighted when it analyzes to a query term. */
export function highlight(text: string, terms: Set<string>): Highlighted {
  const parts: Highlighted = [];
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    let hit = false;
    if (/[\u3400-\u9fff\uf900-\ufaff]/u.test(word)) {
      // Chinese: highlight the run when one of its words is a query term.
      hit = termsOf(word).some((t) => terms.has(t));
    } else {
      const analyzed = termsOf(word);
      hit = analyzed.length > 0 && analyzed.every((t) => terms.has(t));
    }
    if (!hit) continue;
    if (match.index > last) parts.push({ text: text.slice(last, match.index), hit: false });
    parts.push({ text: word, hit: true });
    last = match.index + word.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), hit: false });
  return parts;
}

/** A window of the body around the first matched word (or its start), highlighted. */
export function snippet(body: string, terms: Set<string>): Highlighted {
  let start = 0;
  for (const match of body.matchAll(WORD)) {
    if (termsOf(match[0]).some((t) => terms.has(t))) {
      start = Math.max(0, match.index - 60);
      break;
    }
  }
  if (start > 0) {
    const space = body.indexOf(" ", start);
    if (space > 0 && space - start < 20) start = space + 1;
  }
  let end = Math.min(body.length, start + SNIPPET_CHARS);
  if (end < body.length) {
    const space = body.lastIndexOf(" ", end);
    if (space > start + 100) end = space;
  }
  const text = `${start > 0 ? "… " : ""}${body.slice(start, end).replace(/\s+/g, " ")}${end < body.length ? " …" : ""}`;
  return highlight(text, terms);
}

/**
 * Loads what the page shows for some hits, from search_documents (visible rows only: a document hidden
 * since the index last saw it is dropped here too) with their categories.
 */
async function loadItems(hits: RankedHit[], terms: Set<string>): Promise<SearchResultItem[]> {
  if (hits.length === 0) return [];
  const docKeys = hits.map((h) => h.docKey);
  // Independent reads, side by side: the rows, and who wrote them (categories come from a shared cache).
  const [rows, authors] = await Promise.all([
    prisma.searchDocument.findMany({
      where: { docKey: { in: docKeys }, visible: true },
      select: { docKey: true, docType: true, title: true, body: true, categoryId: true, resolved: true },
    }),
    loadAuthors(docKeys),
  ]);
  const categories = await categoryMap([rows.flatMap((r) => (r.categoryId === null ? [] : [r.categoryId]))]);
  const byKey = new Map(rows.map((r) => [r.docKey, r]));
  const items: SearchResultItem[] = [];
  for (const hit of hits) {
    const row = byKey.get(hit.docKey);
    if (!row) continue;
    items.push({
      docKey: row.docKey,
      type: row.docType === "article" ? "article" : "thread",
      url: docUrl(row.docKey),
      title: highlight(row.title, terms),
      snippet: snippet(row.body, terms),
      category: (row.categoryId !== null && categories.get(row.categoryId)) || null,
      resolved: row.resolved,
      score: Math.round(hit.rank * 100) / 100,
      author: authors.get(row.docKey) ?? null,
    });
  }
  return items;
}

/** Who wrote each result (asker or article owner), in one statement, with "Expert in …" marks. */
async function loadAuthors(docKeys: string[]): Promise<Map<string, NamedUser>> {
  const ids = (type: string) => docKeys.filter((k) => k.startsWith(`${type}:`)).map((k) => BigInt(k.slice(type.length + 1)));
  const threadIds = ids("thread");
  const articleIds = ids("article");
  if (threadIds.length === 0 && articleIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ doc_key: string; handle: string; display_name: string; expert_category_ids: number[] }[]>`
    SELECT 'thread:' || t.id AS doc_key, u.handle, u.display_name, u.expert_category_ids
    FROM threads t JOIN users u ON u.id = t.author_id WHERE t.id = ANY(${threadIds})
    UNION ALL
    SELECT 'article:' || a.id, u.handle, u.display_name, u.expert_category_ids
    FROM articles a JOIN users u ON u.id = a.owner_id WHERE a.id = ANY(${articleIds})`;
  const map = await categoryMap(rows.map((r) => r.expert_category_ids));
  return new Map(rows.map((r) => [r.doc_key, { handle: r.handle, displayName: r.display_name, expertIn: expertIn(r.expert_category_ids, map) }]));
}

/** The /search page: one page of results with snippets, or "warming up". */
export async function searchPage(params: SearchParams, engine: SearchEngine = searchEngine): Promise<SearchPage> {
  if (!params.q) return { status: "empty" };
  const result = engine.search(params.q, { type: params.type, categoryId: params.category, resolvedOnly: params.resolved }, params.page * PAGE_SIZE);
  if (result.status === "warming") return result;
  const pageCount = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const page = Math.min(params.page, pageCount);
  const terms = new Set(result.query.terms);
  const items = await loadItems(result.hits.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), terms);
  return { status: "ok", total: result.total, page, pageCount, matchedAll: result.matchedAll, items, terms: result.query.terms, language: result.query.languages.join(",") };
}

export type Suggestion = { docKey: string; url: string; title: string; type: "thread" | "article"; resolved: boolean };

/** Up to five resolved threads and articles like a title being typed. */
export async function suggestSimilar(title: string, engine: SearchEngine = searchEngine): Promise<{ status: "warming" } | { status: "ok"; items: Suggestion[] }> {
  const q = title.slice(0, 300).trim();
  if (q.length < 3) return { status: "ok", items: [] };
  const result = engine.suggest(q, 5);
  if (result.status === "warming") return result;
  if (result.hits.length === 0) return { status: "ok", items: [] };
  const rows = await prisma.searchDocument.findMany({
    where: { docKey: { in: result.hits.map((h) => h.docKey) }, visible: true },
    select: { docKey: true, docType: true, title: true, resolved: true },
  });
  const byKey = new Map(rows.map((r) => [r.docKey, r]));
  return {
    status: "ok",
    items: result.hits.flatMap((hit) => {
      const row = byKey.get(hit.docKey);
      return row ? [{ docKey: row.docKey, url: docUrl(row.docKey), title: row.title, type: row.docType === "article" ? ("article" as const) : ("thread" as const), resolved: row.resolved }] : [];
    }),
  };
}
