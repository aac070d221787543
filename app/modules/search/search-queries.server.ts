import { contentLanguage } from "~/modules/content/content-language.server.ts";
import type { NamedUser } from "~/components/user-name.tsx";
import { categoryMap, expertIn } from "~/modules/reputation/expert-marks.server.ts";
import { rawQuery } from "~/utils/db.server.ts";
import { analyze } from "./analyze.ts";
import { searchEngine, type RankedHit, type SearchEngine } from "./search-engine.server.ts";
import { hasLength } from "~/modules/content/text-length.ts";
import { PAGE_SIZE, SUGGEST_MIN_LENGTH, docUrl, type SearchParams } from "./search.schema.ts";

export type Highlighted = Array<{ text: string; hit: boolean }>;

export type SearchResultItem = {
  docKey: string;
  type: "thread" | "article";
  url: string;
  title: Highlighted;
  snippet: Highlighted;
  /** The document's language, for `lang` when it differs from the page's (ADR 055). */
  lang: string;
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

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/u;
const zhWords = new Intl.Segmenter("zh", { granularity: "word" });

/**
 * Splits text into plain and highlighted parts: a word is highlighted when it analyzes to a query
 * term. A Chinese run (often a whole sentence) is cut into words as the analyzer cuts it, and only
 * its words that are query terms are highlighted.
 */
export function highlight(text: string, terms: Set<string>): Highlighted {
  const parts: Highlighted = [];
  let last = 0;
  const mark = (start: number, end: number) => {
    const previous = parts.at(-1);
    if (start === last && previous?.hit) previous.text += text.slice(start, end);
    else {
      if (start > last) parts.push({ text: text.slice(last, start), hit: false });
      parts.push({ text: text.slice(start, end), hit: true });
    }
    last = end;
  };
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    if (HAN.test(word)) {
      for (const { segment, index } of zhWords.segment(word)) {
        if (termsOf(segment).some((t) => terms.has(t))) mark(match.index + index, match.index + index + segment.length);
      }
    } else {
      const analyzed = termsOf(word);
      if (analyzed.length > 0 && analyzed.every((t) => terms.has(t))) mark(match.index, match.index + word.length);
    }
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
 * The originals of the duplicates among some doc keys (thread doc key → its original's), in one
 * indexed read; nothing is read when no key is a thread (ADR 048).
 */
async function originalsOf(keys: string[]): Promise<Map<string, string>> {
  const ids = keys.filter((k) => k.startsWith("thread:")).map((k) => k.slice("thread:".length));
  if (ids.length === 0) return new Map();
  const rows = await rawQuery<{ id: string; original: string }>(
    "SELECT id::text AS id, duplicate_of_id::text AS original FROM threads WHERE id = ANY($1::bigint[]) AND duplicate_of_id IS NOT NULL",
    [ids],
  );
  return new Map(rows.map((r) => [`thread:${r.id}`, `thread:${r.original}`]));
}

/**
 * `list` with each duplicate's original just before it (taken from later in the list, or made with
 * `make` when absent), every key once: search and the similar-questions list point to the original first.
 */
export function originalsFirst<T extends { docKey: string }>(list: T[], originals: Map<string, string>, make: (key: string, duplicate: T) => T | null): T[] {
  if (originals.size === 0) return list;
  const byKey = new Map(list.map((i) => [i.docKey, i]));
  const out: T[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    if (seen.has(item.docKey)) continue;
    const key = originals.get(item.docKey);
    if (key && !seen.has(key)) {
      const original = byKey.get(key) ?? make(key, item);
      if (original) {
        out.push(original);
        seen.add(key);
      }
    }
    out.push(item);
    seen.add(item.docKey);
  }
  return out;
}

type ItemRow = {
  doc_key: string;
  doc_type: string;
  title: string;
  body: string;
  category_id: number | null;
  resolved: boolean;
  handle: string | null;
  display_name: string | null;
  expert_category_ids: number[] | null;
};

/**
 * Loads what the page shows for some hits in one statement: their search_documents rows (visible
 * ones only: a document hidden since the index last saw it is dropped here too) with who wrote each
 * (the asker of a thread, the owner of an article); category names and expert marks come from the
 * shared category cache.
 */
async function loadItems(found: RankedHit[], terms: Set<string>): Promise<SearchResultItem[]> {
  if (found.length === 0) return [];
  const hits = originalsFirst(found, await originalsOf(found.map((h) => h.docKey)), (docKey, duplicate) => ({ ...duplicate, docKey }));
  const rows = await rawQuery<ItemRow>("SELECT * FROM search_result_rows($1::text[])", [hits.map((h) => h.docKey)]);
  const categories = await categoryMap([...rows.map((r) => r.expert_category_ids), rows.flatMap((r) => (r.category_id === null ? [] : [r.category_id]))]);
  const byKey = new Map(rows.map((r) => [r.doc_key, r]));
  const items: SearchResultItem[] = [];
  for (const hit of hits) {
    const row = byKey.get(hit.docKey);
    if (!row) continue;
    items.push({
      docKey: row.doc_key,
      type: row.doc_type === "article" ? "article" : "thread",
      url: docUrl(row.doc_key),
      title: highlight(row.title, terms),
      snippet: snippet(row.body, terms),
      lang: contentLanguage(`${row.title} ${row.body.slice(0, 300)}`),
      category: (row.category_id !== null && categories.get(row.category_id)) || null,
      resolved: row.resolved,
      score: Math.round(hit.rank * 100) / 100,
      author: row.handle === null ? null : { handle: row.handle, displayName: row.display_name ?? row.handle, expertIn: expertIn(row.expert_category_ids, categories) },
    });
  }
  return items;
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

/**
 * Threads and articles like a title being typed: up to five resolved threads and articles, then up to
 * OPEN_SUGGESTIONS open threads (`resolved: false`), in that order. Nothing for a title shorter than
 * SUGGEST_MIN_LENGTH (a Chinese character counts 3).
 */
export async function suggestSimilar(title: string, engine: SearchEngine = searchEngine): Promise<{ status: "warming" } | { status: "ok"; items: Suggestion[] }> {
  const q = title.slice(0, 300).trim();
  if (!hasLength(SUGGEST_MIN_LENGTH)(q)) return { status: "ok", items: [] };
  const result = engine.suggest(q, 5);
  if (result.status === "warming") return result;
  if (result.hits.length === 0) return { status: "ok", items: [] };
  const originals = await originalsOf(result.hits.map((h) => h.docKey));
  const hits = originalsFirst(result.hits, originals, (docKey, duplicate) => ({ ...duplicate, docKey }));
  // Straight on the pool: this runs on every pause in typing.
  const rows = await rawQuery<{ doc_key: string; doc_type: string; title: string; resolved: boolean }>(
    "SELECT doc_key, doc_type, title, resolved FROM search_documents WHERE doc_key = ANY($1::text[]) AND visible",
    [hits.map((h) => h.docKey)],
  );
  const byKey = new Map(rows.map((r) => [r.doc_key, r]));
  const items = hits.flatMap((hit) => {
    const row = byKey.get(hit.docKey);
    return row ? [{ docKey: row.doc_key, url: docUrl(row.doc_key), title: row.title, type: row.doc_type === "article" ? ("article" as const) : ("thread" as const), resolved: row.resolved }] : [];
  });
  // The engine already lists resolved ones first; the rows are newer than the index by up to a
  // second, so keep that order true to the marks shown (a stable sort keeps the ranking within each).
  items.sort((a, b) => Number(b.resolved) - Number(a.resolved));
  // A duplicate's original still comes before it (ADR 048).
  return { status: "ok", items: originalsFirst(items, originals, () => null) };
}
