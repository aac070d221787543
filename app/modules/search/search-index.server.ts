import { promisify } from "node:util";
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

/** One term's postings in one field: document refs and lunr's BM25 weight (boost included) for each. */
type FieldPostings = { refs: Uint16Array | Int32Array; weights: Float32Array };

/**
 * A shard as it is held in memory and queried: per term and field, two typed arrays. This is lunr's
 * index (its terms, its BM25 field-vector weights) laid out as postings lists, 6 bytes per posting
 * (8 in a shard of more than 65,536 documents).
 */
export type Shard = {
  docs: DocMeta[];
  /** Every term, sorted, for bounded prefix expansion. */
  terms: string[];
  postings: Map<string, { t?: FieldPostings; b?: FieldPostings }>;
  /** Per document, from docs, for the filter-and-rank loop: flags (1 resolved, 2 article), category (-1 none), rank multiplier. */
  flags: Uint8Array;
  category: Int32Array;
  boost: Float32Array;
};

/** What buildShard makes: lunr's serialized index and the document table. */
export type BuiltShard = { docs: DocMeta[]; index: SerializedIndex };

/** Body terms indexed per document: enough for relevance, bounded for memory (title and tags are whole). */
export const MAX_BODY_TERMS = 400;
const TITLE_BOOST = 4;
const EMPTY: Record<string, never> = Object.freeze({}) as Record<string, never>;

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

/** A document's table entry and its analyzed title (with tags) and body terms. */
export type AnalyzedDocument = { meta: DocMeta; t: string[]; b: string[] };

export function analyzeDocuments(documents: IndexedDocument[]): AnalyzedDocument[] {
  return documents.map((doc) => ({
    meta: [doc.docKey, doc.categoryId ?? -1, (doc.resolved ? 1 : 0) | (doc.docType === "article" ? 2 : 0), doc.score],
    t: analyze(`${doc.title} ${doc.tags.join(" ")}`),
    b: analyze(doc.body).slice(0, MAX_BODY_TERMS),
  }));
}

/** Every distinct term of some analyzed documents. */
export function distinctTerms(analyzed: AnalyzedDocument[]): string[] {
  const terms = new Set<string>();
  for (const doc of analyzed) {
    for (const term of doc.t) terms.add(term);
    for (const term of doc.b) terms.add(term);
  }
  return [...terms];
}

/**
 * Another index's size and document frequencies (the base's, for the recent index): lunr's idf then
 * counts those documents too, so that a small index's scores compare with the base shards' (on its
 * own, a tiny index would rate every term as rare).
 */
export type BaseFrequencies = { documents: number; df: Map<string, number> };

export function buildShard(documents: IndexedDocument[], base?: BaseFrequencies): BuiltShard {
  return buildAnalyzed(analyzeDocuments(documents), base);
}

export function buildAnalyzed(analyzed: AnalyzedDocument[], base?: BaseFrequencies): BuiltShard {
  const builder = new lunr.Builder();
  builder.pipeline.reset();
  builder.searchPipeline.reset();
  builder.metadataWhitelist = [];
  builder.ref("r");
  builder.field("t", { boost: TITLE_BOOST });
  builder.field("b");
  const b = builder as unknown as BuilderInternals;
  analyzed.forEach((doc, i) => addTerms(b, String(i), doc));
  // The token set (a trie of every term) is only used by lunr's wildcard and fuzzy clauses, which we
  // never send (see loadShard); building it is a good part of lunr's build time.
  (builder as unknown as { createTokenSet: () => void }).createTokenSet = function (this: { tokenSet: unknown }) {
    this.tokenSet = directTokenSet((builder as unknown as { invertedIndex: Record<string, unknown> }).invertedIndex);
  };
  const docs = analyzed.map((d) => d.meta);
  if (!base) return { docs, index: builder.build().toJSON() as unknown as SerializedIndex };
  // lunr.idf sees a posting, not its term: each posting is tagged with its term first.
  const inverted = (builder as unknown as { invertedIndex: Record<string, Record<string, unknown>> }).invertedIndex;
  for (const term in inverted) inverted[term]!._term = term;
  const lunrIdf = lunr as unknown as { idf: (posting: object, documentCount: number) => number };
  const originalIdf = lunrIdf.idf;
  lunrIdf.idf = (posting: object, documentCount: number) => {
    let df = base.df.get((posting as { _term: string })._term) ?? 0;
    for (const field in posting) if (field !== "_index" && field !== "_term") df += Object.keys((posting as Record<string, object>)[field]!).length;
    return Math.log(1 + Math.abs((documentCount + base.documents - df + 0.5) / (df + 0.5)));
  };
  try {
    return { docs, index: builder.build().toJSON() as unknown as SerializedIndex };
  } finally {
    lunrIdf.idf = originalIdf;
  }
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

/**
 * What is stored for a shard (ADR 076): its compact in-memory layout itself, gzipped. Loading it
 * needs no parse: a gunzip (on libuv's thread pool) and typed-array views over the bytes, then the
 * term map built a slice at a time. The JSON of lunr's index (format 2) took up to a second of
 * synchronous JSON.parse and regrouping per shard, during which the server answered nothing.
 */
export function serializeShard(shard: BuiltShard): Buffer {
  return zlib.gzipSync(encodeShard(compactShard(shard)), { level: 3 });
}

type SerializedIndex = {
  fields: string[];
  fieldVectors: [string, number[]][];
  invertedIndex: [string, Record<string, unknown>][];
};

const gunzip = promisify(zlib.gunzip);

/** Loads a stored shard: format 3, or format 2 (the JSON of lunr's index) from a version built before. */
export async function loadShard(data: Uint8Array, options: { slice?: number } = {}): Promise<Shard> {
  const raw = await gunzip(data);
  if (raw[0] !== 0x7b) return decodeShard(raw, options);
  // "{": format 2, parsed in one piece as before; the next rebuild stores format 3.
  const parsed = JSON.parse(raw.toString("utf8")) as { v: number; docs: DocMeta[]; index: SerializedIndex };
  if (parsed.v !== 2) throw new Error(`search index shard format ${parsed.v}: run npm run search:reindex`);
  return compactShard(parsed);
}

/** Format 3 starts with eight int32: magic, format, documents, terms, narrow refs (1/0), postings, key bytes, term bytes. */
const MAGIC = 0x33535754; // "TWS3"
const FORMAT = 3;
const HEADER_INTS = 8;
const align8 = (n: number) => (n + 7) & ~7;

/** Byte offsets of the sections (each 8-byte aligned) and the total size. */
function layout(n: number, termCount: number, narrow: boolean, postingTotal: number, keyBytes: number, termBytes: number) {
  const sizes = [HEADER_INTS * 4, n, n * 4, n * 8, termCount * 16, postingTotal * (narrow ? 2 : 4), postingTotal * 4, keyBytes, termBytes];
  const offsets: number[] = [];
  let size = 0;
  for (const s of sizes) {
    offsets.push(size);
    size += align8(s);
  }
  return { offsets, size };
}

/**
 * The shard as bytes that can be viewed in place: per document flags (uint8), category (int32) and
 * votes (float64); per term, in sorted order, the start and length of its title and body postings
 * (int32 × 4, length 0 when absent); all refs (uint16, or int32 past 65,536 documents) and weights
 * (float32), list after list; then the document keys and the terms, UTF-8, one per line (analyze()
 * makes terms of letters and digits; keys are "thread:1"-like).
 */
export function encodeShard(shard: Shard): Buffer {
  const n = shard.docs.length;
  const narrow = n <= 65_536;
  let postingTotal = 0;
  for (const term of shard.terms) {
    const p = shard.postings.get(term)!;
    postingTotal += (p.t?.refs.length ?? 0) + (p.b?.refs.length ?? 0);
  }
  if (shard.terms.some((t) => t.includes("\n")) || shard.docs.some((d) => d[0].includes("\n"))) throw new Error("search index: a term or key holds a line break");
  const keys = Buffer.from(shard.docs.map((d) => d[0]).join("\n"), "utf8");
  const terms = Buffer.from(shard.terms.join("\n"), "utf8");
  const { offsets, size } = layout(n, shard.terms.length, narrow, postingTotal, keys.length, terms.length);
  const out = Buffer.alloc(size);
  const at = <T>(Kind: new (b: ArrayBufferLike, o: number, l: number) => T, section: number, length: number) => new Kind(out.buffer, out.byteOffset + offsets[section]!, length);
  at(Int32Array, 0, HEADER_INTS).set([MAGIC, FORMAT, n, shard.terms.length, narrow ? 1 : 0, postingTotal, keys.length, terms.length]);
  at(Uint8Array, 1, n).set(shard.flags);
  at(Int32Array, 2, n).set(shard.category);
  at(Float64Array, 3, n).set(shard.docs.map((d) => d[3]));
  const lists = at(Int32Array, 4, shard.terms.length * 4);
  const refs = narrow ? at(Uint16Array, 5, postingTotal) : at(Int32Array, 5, postingTotal);
  const weights = at(Float32Array, 6, postingTotal);
  let next = 0;
  shard.terms.forEach((term, i) => {
    const p = shard.postings.get(term)!;
    (["t", "b"] as const).forEach((field, f) => {
      const list = p[field];
      if (!list) return;
      lists[i * 4 + f * 2] = next;
      lists[i * 4 + f * 2 + 1] = list.refs.length;
      refs.set(list.refs, next);
      weights.set(list.weights, next);
      next += list.refs.length;
    });
  });
  keys.copy(out, offsets[7]);
  terms.copy(out, offsets[8]);
  return out;
}

/** Terms put in the map between two yields to the event loop while a shard loads. */
const LOAD_SLICE = 8192;

/**
 * A shard from encodeShard's bytes: views into them (copied once when not 8-byte aligned), and the
 * term map built `slice` terms at a time with the event loop let through in between.
 */
export async function decodeShard(bytes: Uint8Array, options: { slice?: number } = {}): Promise<Shard> {
  const data = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  const damaged = () => new Error("search index shard damaged or of another format: run npm run search:reindex");
  if (data.byteLength < HEADER_INTS * 4) throw damaged();
  const [magic, format, n, termCount, narrow, postingTotal, keyBytes, termBytes] = Array.from(new Int32Array(data.buffer, data.byteOffset, HEADER_INTS));
  if (magic !== MAGIC || format !== FORMAT) throw damaged();
  const { offsets, size } = layout(n!, termCount!, narrow === 1, postingTotal!, keyBytes!, termBytes!);
  if (size !== data.byteLength) throw damaged();
  const at = <T>(Kind: new (b: ArrayBufferLike, o: number, l: number) => T, section: number, length: number) => new Kind(data.buffer, data.byteOffset + offsets[section]!, length);
  const flags = at(Uint8Array, 1, n!);
  const category = at(Int32Array, 2, n!);
  const votes = at(Float64Array, 3, n!);
  const lists = at(Int32Array, 4, termCount! * 4);
  const refs = narrow === 1 ? at(Uint16Array, 5, postingTotal!) : at(Int32Array, 5, postingTotal!);
  const weights = at(Float32Array, 6, postingTotal!);
  const decoder = new TextDecoder();
  const keys = n === 0 ? [] : decoder.decode(at(Uint8Array, 7, keyBytes!)).split("\n");
  const terms = termCount === 0 ? [] : decoder.decode(at(Uint8Array, 8, termBytes!)).split("\n");
  if (keys.length !== n || terms.length !== termCount) throw damaged();
  const docs: DocMeta[] = keys.map((key, i) => [key, category[i]!, flags[i]!, votes[i]!]);
  const list = (start: number, length: number): FieldPostings | undefined =>
    length === 0 ? undefined : { refs: refs.subarray(start, start + length), weights: weights.subarray(start, start + length) };
  const postings: Shard["postings"] = new Map();
  const slice = options.slice ?? LOAD_SLICE;
  for (let i = 0; i < terms.length; i++) {
    const entry: { t?: FieldPostings; b?: FieldPostings } = {};
    const t = list(lists[i * 4]!, lists[i * 4 + 1]!);
    const b = list(lists[i * 4 + 2]!, lists[i * 4 + 3]!);
    if (t) entry.t = t;
    if (b) entry.b = b;
    postings.set(terms[i]!, entry);
    if ((i + 1) % slice === 0) await new Promise((r) => setImmediate(r));
  }
  const boost = Float32Array.from(docs, (d) => rankBoost((d[2] & 1) === 1, d[3]));
  return { docs, terms, postings, flags, category, boost };
}

/** A postings list sorted by ref (lunr writes field vectors in document order, so this is a check). */
function inDocumentOrder(list: { refs: number[]; weights: number[] }): { refs: number[]; weights: number[] } {
  let sorted = true;
  for (let i = 1; i < list.refs.length && sorted; i++) sorted = list.refs[i]! > list.refs[i - 1]!;
  if (sorted) return list;
  const order = list.refs.map((_, i) => i).sort((a, b) => list.refs[a]! - list.refs[b]!);
  return { refs: order.map((i) => list.refs[i]!), weights: order.map((i) => list.weights[i]!) };
}

/**
 * Turns lunr's index into postings lists: lunr's field vectors ("t/12" → [termIndex, weight, …]) are
 * regrouped by term. Queries then add up weights term by term over typed arrays instead of going
 * through lunr.Index#query, whose cost (an object per matching posting, then a vector per match)
 * made a two-word query over 100,000 documents take hundreds of milliseconds (ADR 019).
 */
export function compactShard(built: BuiltShard): Shard {
  const termByIndex: string[] = [];
  for (const [term, posting] of built.index.invertedIndex) termByIndex[(posting as { _index: number })._index] = term;
  const lists = { t: new Map<number, { refs: number[]; weights: number[] }>(), b: new Map<number, { refs: number[]; weights: number[] }>() };
  for (const [fieldRef, elements] of built.index.fieldVectors) {
    const slash = fieldRef.indexOf("/");
    const field = fieldRef.slice(0, slash) as "t" | "b";
    const ref = Number(fieldRef.slice(slash + 1));
    const byTerm = lists[field];
    if (!byTerm) continue;
    for (let k = 0; k < elements.length; k += 2) {
      const termIndex = elements[k]!;
      let list = byTerm.get(termIndex);
      if (!list) byTerm.set(termIndex, (list = { refs: [], weights: [] }));
      list.refs.push(ref);
      list.weights.push(elements[k + 1]!);
    }
  }
  const postings: Shard["postings"] = new Map();
  // Refs are positions in the shard: 2 bytes each while a shard holds at most 65,536 documents (base
  // shards hold 12,500 and the recent index at most RECENT_LIMIT), 6 bytes a posting instead of 8.
  const narrowRefs = built.docs.length <= 65_536;
  for (const field of ["t", "b"] as const) {
    for (const [termIndex, list] of lists[field]) {
      const term = termByIndex[termIndex];
      if (term === undefined) continue;
      let entry = postings.get(term);
      if (!entry) postings.set(term, (entry = {}));
      const ordered = inDocumentOrder(list);
      entry[field] = { refs: narrowRefs ? Uint16Array.from(ordered.refs) : Int32Array.from(ordered.refs), weights: Float32Array.from(ordered.weights) };
    }
  }
  const docs = built.docs;
  const flags = Uint8Array.from(docs, (d) => d[2]);
  const category = Int32Array.from(docs, (d) => d[1]);
  const boost = Float32Array.from(docs, (d) => rankBoost((d[2] & 1) === 1, d[3]));
  return { docs, terms: [...postings.keys()].sort(), postings, flags, category, boost };
}

/** Documents of a shard that contain a term (in any field). */
export function documentFrequency(shard: Shard, term: string): number {
  const p = shard.postings.get(term);
  return (p?.t?.refs.length ?? 0) + (p?.b?.refs.length ?? 0);
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
  /** Only these fields match and score (default both): suggestions compare titles with titles. */
  fields?: ReadonlyArray<(typeof FIELDS)[number]>;
};

export type Hit = { docKey: string; score: number; categoryId: number | null; resolved: boolean; docType: "thread" | "article"; votes: number };

/**
 * Reused per-document buffers (queries are synchronous, one at a time per process). Nothing is
 * cleared between queries: a document's entries count only when its epoch stamp is the current
 * one, so a query costs what its postings cost, not the shard's size.
 */
let scores = new Float64Array(0);
let best = new Float64Array(0);
let matched = new Uint8Array(0);
let slotStamp = new Int32Array(0);
/** Reading epoch at which scores/matched/slotStamp of a document were last reset. */
let seen = new Int32Array(0);
/** Query epoch at which best of a document was last set. */
let bestSeen = new Int32Array(0);
/** Documents touched by the current reading, and documents matching the current query. */
let touched = new Int32Array(0);
let candidates = new Int32Array(0);
let candidateCount = 0;
/** The current query's matches after the filters, with their ranks. */
let matchRefs = new Int32Array(0);
let matchRanks = new Float64Array(0);
let readingEpoch = 0;
let queryEpoch = 0;

function ensureBuffers(n: number) {
  if (readingEpoch > 2 ** 30 || queryEpoch > 2 ** 30) {
    seen.fill(0);
    bestSeen.fill(0);
    readingEpoch = 0;
    queryEpoch = 0;
  }
  if (scores.length >= n) return;
  scores = new Float64Array(n);
  best = new Float64Array(n);
  matched = new Uint8Array(n);
  slotStamp = new Int32Array(n);
  seen = new Int32Array(n);
  bestSeen = new Int32Array(n);
  touched = new Int32Array(n);
  candidates = new Int32Array(n);
  matchRefs = new Int32Array(n);
  matchRanks = new Float64Array(n);
}

/** A postings list this many times longer than the candidates is binary-searched rather than read through. */
const PROBE_RATIO = 16;

/** Resolved threads and articles rank above unresolved threads of similar relevance. */
export const RESOLVED_BOOST = 1.5;

/** What a document's relevance is multiplied by: resolved ones first, then a little for votes. */
function rankBoost(resolved: boolean, votes: number): number {
  return (resolved ? RESOLVED_BOOST : 1) * (1 + 0.05 * Math.log1p(Math.max(0, votes)));
}

/** resolvedOnly: resolved threads and articles; openOnly: the others (open threads). */
export type ShardFilter = { type?: "thread" | "article"; categoryId?: number; resolvedOnly?: boolean; openOnly?: boolean };

export type RankedHit = Hit & { rank: number };

/**
 * Adds one reading's scores into `best`: the way lunr scores (sum over fields of the BM25 weights of
 * the matching terms, divided by the query vector's magnitude in that field), term at a time over
 * the postings arrays. Required terms must all match; `anyOf` is one slot where any completion
 * matches; an optional-only query matches documents with any of its terms.
 */
function scoreReading(shard: Shard, query: ShardQuery, readAll = false): void {
  const fields = query.fields ?? FIELDS;
  const has = (t: string) => {
    const p = shard.postings.get(t);
    return p !== undefined && fields.some((f) => p[f] !== undefined);
  };
  if (!query.required.every(has)) return;
  const anyOf = query.anyOf.filter(has);
  if (query.anyOf.length > 0 && anyOf.length === 0) return;
  const optional = query.optional.filter((t) => has(t) && !query.required.includes(t));
  const slots: string[][] = [...query.required.map((t) => [t]), ...(anyOf.length > 0 ? [anyOf] : [])];
  if (slots.length === 0 && optional.length === 0) return;
  const orQuery = slots.length === 0;
  const scored = orQuery ? optional.map((t) => [t]) : [...slots, ...optional.map((t) => [t])];
  const norm = { t: 0, b: 0 };
  for (const term of scored.flat()) {
    const p = shard.postings.get(term)!;
    for (const f of fields) if (p[f]) norm[f] += 1;
  }
  const scale = { t: norm.t > 0 ? 1 / Math.sqrt(norm.t) : 0, b: norm.b > 0 ? 1 / Math.sqrt(norm.b) : 0 };
  const mustMatch = orQuery ? 1 : slots.length;
  const epoch = ++readingEpoch;
  let touchedCount = 0;
  // With required slots, only documents in every slot can match: the slot with the fewest postings
  // names the candidates, and every other list only adds to those (read through, checking each
  // entry, or, when much longer than the candidates, probed by binary search), so "invoice xyzzy"
  // costs what the rare word costs, not what "invoice" costs. Touching only the candidates also
  // halves the work of two common words (engine p50 1.7-2.4 ms → 1.1-1.5 ms on tw_large).
  const driven = !orQuery && !readAll;
  let sortedCount = 0;
  if (driven) {
    let driving = 0;
    let fewest = Infinity;
    for (let i = 0; i < slots.length; i++) {
      let n = 0;
      for (const term of slots[i]!) {
        const p = shard.postings.get(term)!;
        for (const field of fields) n += p[field]?.refs.length ?? 0;
      }
      if (n < fewest) [fewest, driving] = [n, i];
    }
    for (const term of slots[driving]!) {
      const p = shard.postings.get(term)!;
      for (const field of fields) {
        const refs = p[field]?.refs;
        if (!refs) continue;
        for (let k = 0; k < refs.length; k++) {
          const ref = refs[k]!;
          if (seen[ref] === epoch) continue;
          seen[ref] = epoch;
          scores[ref] = 0;
          matched[ref] = 0;
          slotStamp[ref] = -1;
          touched[touchedCount++] = ref;
        }
      }
    }
  }
  // Contributions are added in the same order (slot, term, field) whichever way a list is read, so
  // scores are the same to the last bit as reading every list through.
  const add = (ref: number, weight: number, s: number, counts: boolean, slotIndex: number) => {
    scores[ref] += weight * s;
    if (counts && slotStamp[ref] !== slotIndex) {
      slotStamp[ref] = slotIndex;
      matched[ref] += 1;
    }
  };
  for (let slotIndex = 0; slotIndex < scored.length; slotIndex++) {
    const counts = orQuery || slotIndex < slots.length;
    for (const term of scored[slotIndex]!) {
      const p = shard.postings.get(term)!;
      for (const field of fields) {
        const list = p[field];
        if (!list) continue;
        const s = scale[field];
        const { refs, weights } = list;
        if (!driven) {
          for (let k = 0; k < refs.length; k++) {
            const ref = refs[k]!;
            if (seen[ref] !== epoch) {
              seen[ref] = epoch;
              scores[ref] = 0;
              matched[ref] = 0;
              slotStamp[ref] = -1;
              touched[touchedCount++] = ref;
            }
            add(ref, weights[k]!, s, counts, slotIndex);
          }
        } else if (refs.length > touchedCount * PROBE_RATIO) {
          // Binary search for each candidate (in document order), from where the previous one was found.
          if (sortedCount !== touchedCount) {
            touched.subarray(0, touchedCount).sort();
            sortedCount = touchedCount;
          }
          let lo = 0;
          for (let c = 0; c < touchedCount && lo < refs.length; c++) {
            const target = touched[c]!;
            let hi = refs.length;
            while (lo < hi) {
              const mid = (lo + hi) >>> 1;
              if (refs[mid]! < target) lo = mid + 1;
              else hi = mid;
            }
            if (lo < refs.length && refs[lo] === target) add(target, weights[lo]!, s, counts, slotIndex);
          }
        } else {
          for (let k = 0; k < refs.length; k++) {
            const ref = refs[k]!;
            if (seen[ref] === epoch) add(ref, weights[k]!, s, counts, slotIndex);
          }
        }
      }
    }
  }
  for (let i = 0; i < touchedCount; i++) {
    const ref = touched[i]!;
    if (matched[ref]! < mustMatch) continue;
    if (bestSeen[ref] !== queryEpoch) {
      bestSeen[ref] = queryEpoch;
      best[ref] = scores[ref]!;
      candidates[candidateCount++] = ref;
    } else if (scores[ref]! > best[ref]!) {
      best[ref] = scores[ref]!;
    }
  }
}

/** Reused min-heap of the k largest ranks seen so far. */
let heap = new Float64Array(0);

/**
 * The k-th largest of some values (-Infinity when there are at most k, Infinity when k is 0), with a
 * min-heap of size k: O(n log k). A broad OR query (suggestions) matches most of a shard, and sorting
 * every rank to keep five was most of its time.
 */
export function kthLargest(values: ArrayLike<number>, k: number, length = values.length): number {
  if (length <= k) return -Infinity;
  if (k <= 0) return Infinity;
  if (heap.length < k) heap = new Float64Array(k);
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < k && heap[l]! < heap[m]!) m = l;
      if (r < k && heap[r]! < heap[m]!) m = r;
      if (m === i) return;
      const t = heap[i]!;
      heap[i] = heap[m]!;
      heap[m] = t;
      i = m;
    }
  };
  for (let i = 0; i < k; i++) heap[i] = values[i]!;
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let i = k; i < length; i++) {
    if (values[i]! > heap[0]!) {
      heap[0] = values[i]!;
      siftDown(0);
    }
  }
  return heap[0]!;
}

/**
 * Runs the readings of a query over one shard (a document matching any reading matches, with its best
 * score), applies the filters and the shadow mask (documents the recent index replaces), and returns
 * the number of matches and the `limit` best of them, ranked. Only those few become objects.
 */
export function queryShard(
  shard: Shard,
  readings: ShardQuery[],
  /** readAll: read every postings list through instead of from the candidates (tests compare the two). */
  options: { filter?: ShardFilter; shadowed?: Uint8Array; limit: number; readAll?: boolean },
): { count: number; top: RankedHit[] } {
  ensureBuffers(shard.docs.length);
  queryEpoch += 1;
  candidateCount = 0;
  for (const reading of readings) scoreReading(shard, reading, options.readAll);
  const { filter = {}, shadowed } = options;
  const { flags, category, boost } = shard;
  const wantArticle = filter.type === undefined ? -1 : filter.type === "article" ? 2 : 0;
  // In document order (ties resolve by ref): a few matches are sorted, many are found by one pass over
  // the shard's epoch stamps, which is cheaper than sorting a large share of the shard.
  const n = shard.docs.length;
  let matches: Int32Array;
  if (candidateCount * 16 < n) {
    matches = candidates.subarray(0, candidateCount).sort();
  } else {
    let k = 0;
    for (let ref = 0; ref < n; ref++) if (bestSeen[ref] === queryEpoch) candidates[k++] = ref;
    matches = candidates.subarray(0, k);
  }
  let count = 0;
  for (let i = 0; i < matches.length; i++) {
    const ref = matches[i]!;
    const f = flags[ref]!;
    if (filter.resolvedOnly && (f & 1) === 0) continue;
    if (filter.openOnly && (f & 1) === 1) continue;
    if (wantArticle !== -1 && (f & 2) !== wantArticle) continue;
    if (filter.categoryId !== undefined && category[ref] !== filter.categoryId) continue;
    if (shadowed !== undefined && shadowed[ref] === 1) continue;
    matchRefs[count] = ref;
    matchRanks[count] = best[ref]! * boost[ref]!;
    count++;
  }
  const threshold = kthLargest(matchRanks, options.limit, count);
  const top: RankedHit[] = [];
  for (let i = 0; i < count && top.length < options.limit; i++) {
    if (matchRanks[i]! < threshold) continue;
    const ref = matchRefs[i]!;
    const meta = shard.docs[ref]!;
    top.push({
      docKey: meta[0],
      score: best[ref]!,
      rank: matchRanks[i]!,
      categoryId: meta[1] === -1 ? null : meta[1],
      resolved: (meta[2] & 1) === 1,
      docType: (meta[2] & 2) === 2 ? "article" : "thread",
      votes: meta[3],
    });
  }
  return { count, top };
}
