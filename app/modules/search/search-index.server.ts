import zlib from "node:zlib";
import lunr from "lunr";
import { analyze } from "./analyze.ts";

/**
 * One lunr index over a slice of the documents (a shard), and how it is built, serialized, loaded
 * compactly and queried (ADR 019). Terms come finished from analyze(): lunr's own pipelines are empty.
 */

export type IndexedDocument = {
  docKey: string;
  docType: string;
  categoryId: number | null;
  title: string;
  body: string;
  tags: string[];
  resolved: boolean;
  score: number;
};

/** Per document, in ref order: [docKey, categoryId (-1 when none), flags (1 resolved, 2 article), score]. */
type DocMeta = [string, number, number, number];

export type Shard = {
  index: lunr.Index;
  docs: DocMeta[];
  /** Every term, sorted, for bounded prefix expansion. */
  terms: string[];
};

/** Body terms indexed per document: enough for relevance, bounded for memory (title and tags are whole). */
export const MAX_BODY_TERMS = 400;
const TITLE_BOOST = 4;
/** Serialized shard format; a server refuses a version of another format (a rebuild replaces it). */
const FORMAT = 2;
const EMPTY: Record<string, never> = Object.freeze({}) as Record<string, never>;

/**
 * Builds one shard. `tagTerms` writes each posting's term into it (`_term`) before the vectors are
 * computed, so that a replaced lunr.idf can look the term up elsewhere (the recent index does).
 */
type BuilderInternals = {
  _documents: Record<string, object>;
  documentCount: number;
  termIndex: number;
  invertedIndex: Record<string, Record<string, Record<string, object>> & { _index?: unknown }>;
  fieldTermFrequencies: Record<string, Record<string, number>>;
  fieldLengths: Record<string, number>;
};

const FIELDS = ["t", "b"] as const;

/**
 * What lunr.Builder#add does for one document, for terms that are already analyzed: term counts in a
 * plain loop and one shared metadata object per posting (we keep no term positions). Same structures,
 * so lunr's own build() computes the vectors; about three times faster than add() with its token
 * objects and per-posting allocations.
 */
function addTerms(b: BuilderInternals, ref: string, fields: Record<(typeof FIELDS)[number], string[]>): void {
  b._documents[ref] = EMPTY;
  b.documentCount += 1;
  for (const field of FIELDS) {
    const terms = fields[field];
    const frequencies: Record<string, number> = Object.create(null);
    for (const term of terms) frequencies[term] = (frequencies[term] ?? 0) + 1;
    const fieldRef = `${field}/${ref}`;
    b.fieldTermFrequencies[fieldRef] = frequencies;
    b.fieldLengths[fieldRef] = terms.length;
    for (const term in frequencies) {
      let posting = b.invertedIndex[term];
      if (!posting) {
        posting = Object.create(null) as Record<string, Record<string, object>> & { _index?: unknown };
        posting._index = b.termIndex;
        b.termIndex += 1;
        for (const f of FIELDS) posting[f] = Object.create(null);
        b.invertedIndex[term] = posting;
      }
      posting[field]![ref] = EMPTY;
    }
  }
}

export function buildShard(documents: IndexedDocument[], tagTerms = false): Shard {
  const docs: DocMeta[] = [];
  const builder = new lunr.Builder();
  builder.pipeline.reset();
  builder.searchPipeline.reset();
  builder.metadataWhitelist = [];
  builder.ref("r");
  builder.field("t", { boost: TITLE_BOOST });
  builder.field("b");
  const b = builder as unknown as BuilderInternals;
  documents.forEach((doc, i) => {
    docs.push([doc.docKey, doc.categoryId ?? -1, (doc.resolved ? 1 : 0) | (doc.docType === "article" ? 2 : 0), doc.score]);
    addTerms(b, String(i), {
      t: analyze(`${doc.title} ${doc.tags.join(" ")}`),
      b: analyze(doc.body).slice(0, MAX_BODY_TERMS),
    });
  });
  if (tagTerms) {
    const inverted = (builder as unknown as { invertedIndex: Record<string, Record<string, unknown>> }).invertedIndex;
    for (const term in inverted) inverted[term]!._term = term;
  }
  // The token set (a trie of every term) is only used by lunr's wildcard and fuzzy clauses, which we
  // never send (see loadShard); building it is a good part of lunr's build time.
  (builder as unknown as { createTokenSet: () => void }).createTokenSet = function (this: { tokenSet: unknown }) {
    this.tokenSet = directTokenSet((builder as unknown as { invertedIndex: Record<string, unknown> }).invertedIndex);
  };
  const index = builder.build();
  return { index, docs, terms: Object.keys((index as unknown as { invertedIndex: object }).invertedIndex).sort() };
}

/** Stands in for lunr's token set: exact terms only, looked up in the inverted index. */
function directTokenSet(invertedIndex: Record<string, unknown>): lunr.TokenSet {
  return {
    intersect(other: lunr.TokenSet) {
      const words = other.toArray();
      return { toArray: () => words.filter((w) => w in invertedIndex) };
    },
  } as unknown as lunr.TokenSet;
}

export function serializeShard(shard: Shard): Buffer {
  return zlib.gzipSync(JSON.stringify({ v: FORMAT, docs: shard.docs, index: shard.index.toJSON() }), { level: 3 });
}

type SerializedIndex = {
  fields: string[];
  fieldVectors: [string, number[]][];
  invertedIndex: [string, Record<string, unknown>][];
};

/**
 * Loads a serialized shard with a smaller memory layout than lunr.Index.load: postings share one
 * frozen empty metadata object, field vectors are Float32Arrays, and the token set (a trie of every
 * term, only needed for lunr's wildcard and fuzzy clauses, which we never send) is replaced by a
 * direct lookup in the inverted index.
 */
export function loadShard(data: Buffer): Shard {
  const parsed = JSON.parse(zlib.gunzipSync(data).toString("utf8")) as { v: number; docs: DocMeta[]; index: SerializedIndex };
  if (parsed.v !== FORMAT) throw new Error(`search index shard format ${parsed.v}, expected ${FORMAT}: run npm run search:reindex`);
  const invertedIndex: Record<string, Record<string, unknown>> = Object.create(null);
  for (const [term, posting] of parsed.index.invertedIndex) {
    for (const field of parsed.index.fields) {
      const refs = posting[field] as Record<string, unknown> | undefined;
      if (refs) for (const ref in refs) refs[ref] = EMPTY;
    }
    invertedIndex[term] = posting;
  }
  const fieldVectors: Record<string, lunr.Vector> = Object.create(null);
  for (const [ref, elements] of parsed.index.fieldVectors) {
    fieldVectors[ref] = new lunr.Vector(Float32Array.from(elements) as unknown as number[]);
  }
  const terms = Object.keys(invertedIndex).sort();
  const tokenSet = directTokenSet(invertedIndex);
  const index = new lunr.Index({
    invertedIndex: invertedIndex as unknown as lunr.Index.Attributes["invertedIndex"],
    fieldVectors,
    tokenSet,
    fields: parsed.index.fields,
    pipeline: new lunr.Pipeline(),
  } as unknown as lunr.Index.Attributes);
  return { index, docs: parsed.docs, terms };
}

/** At most this many completions of an unfinished word are searched (shortest first). */
export const MAX_PREFIX_EXPANSIONS = 12;
/** At most this many sorted terms are looked at to pick them, whatever the prefix. */
const MAX_PREFIX_SCAN = 4000;

/** Completions of `prefix` among a shard's terms: a binary search and a bounded scan. */
export function expandPrefix(terms: string[], prefix: string, limit = MAX_PREFIX_EXPANSIONS): string[] {
  if (prefix.length < 2) return terms.includes(prefix) ? [prefix] : [];
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (terms[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const found: string[] = [];
  for (let i = lo; i < terms.length && i < lo + MAX_PREFIX_SCAN && terms[i]!.startsWith(prefix); i++) found.push(terms[i]!);
  return found.sort((a, b) => a.length - b.length || (a < b ? -1 : 1)).slice(0, limit);
}

export type ShardQuery = {
  /** Terms that must all match (AND); empty for an OR query. */
  required: string[];
  /** Terms that add to the score. */
  optional: string[];
  /** Alternatives of which at least one must match (completions of an unfinished word). */
  anyOf: string[];
};

export type Hit = { docKey: string; score: number; categoryId: number | null; resolved: boolean; docType: "thread" | "article"; votes: number };

export function queryShard(shard: Shard, query: ShardQuery): Hit[] {
  const inverted = (shard.index as unknown as { invertedIndex: Record<string, unknown> }).invertedIndex;
  // A required term missing from this shard means no document here can match.
  if (query.required.some((t) => !(t in inverted))) return [];
  const anyOf = query.anyOf.filter((t) => t in inverted);
  if (query.anyOf.length > 0 && anyOf.length === 0) return [];
  const optional = [...query.optional, ...anyOf].filter((t) => t in inverted);
  if (query.required.length === 0 && optional.length === 0) return [];
  const results = shard.index.query((q) => {
    for (const term of query.required) q.term(term, { presence: lunr.Query.presence.REQUIRED, usePipeline: false });
    for (const term of optional) q.term(term, { presence: lunr.Query.presence.OPTIONAL, usePipeline: false });
  });
  const hits: Hit[] = [];
  for (const result of results) {
    if (anyOf.length > 0) {
      const matched = result.matchData.metadata;
      if (!anyOf.some((t) => t in matched)) continue;
    }
    const meta = shard.docs[Number(result.ref)];
    if (!meta) continue;
    hits.push({
      docKey: meta[0],
      score: result.score,
      categoryId: meta[1] === -1 ? null : meta[1],
      resolved: (meta[2] & 1) === 1,
      docType: (meta[2] & 2) === 2 ? "article" : "thread",
      votes: meta[3],
    });
  }
  return hits;
}
