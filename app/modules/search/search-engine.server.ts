import { prisma } from "~/utils/db.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { analyze, analyzeQuery, type AnalyzedQuery } from "./analyze.ts";
import { decodeShard, documentFrequency, expandPrefix, loadShard, queryShard, type IndexedDocument, type RankedHit, type Shard, type ShardQuery } from "./search-index.server.ts";
import { buildShardOffThread, type Frequencies } from "./shard-builder.server.ts";

export type { RankedHit } from "./search-index.server.ts";

/**
 * The in-memory search of one app server (ADR 019): the newest ready base version (N lunr shards
 * loaded from PostgreSQL in the background) plus a small "recent" lunr index rebuilt from the
 * search_documents rows changed since that base. Any document in the recent set shadows its base
 * copy, so an edit, a hide or a delete takes effect as soon as the recent index is refreshed (every
 * second). Until the first load finishes, searches answer "warming up".
 */

export type SearchFilters = { type?: "thread" | "article"; categoryId?: number; resolvedOnly?: boolean; openOnly?: boolean };

/** Suggestions list at most this many open threads, after the resolved threads and articles. */
export const OPEN_SUGGESTIONS = 3;


export type EngineResult =
  | { status: "warming" }
  | { status: "ok"; query: AnalyzedQuery; hits: RankedHit[]; total: number; matchedAll: boolean };

/** The recent index holds at most this many changed documents; a base rebuild is due long before. */
export const RECENT_LIMIT = 20_000;

/**
 * The recent index, the keys it shadows in the base, and those keys as a byte mask per base shard
 * (`masks[i]` for `base.shards[i]`, undefined when it shadows nothing there). The masks are remade
 * whenever the recent set or the base changes, in the same synchronous step, so they always match.
 */
type Recent = { shard: Shard | null; changed: Set<string>; maxSeq: bigint; count: number; masks: (Uint8Array | undefined)[] };

export class SearchEngine {
  private base: { versionId: bigint; highWaterSeq: bigint; shards: Shard[] } | null = null;
  private baseChecked = false;
  private recent: Recent = { shard: null, changed: new Set(), maxSeq: -1n, count: -1, masks: [] };
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private loading: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;

  get ready(): boolean {
    return this.baseChecked && this.recent.count >= 0;
  }

  get baseVersion(): bigint | null {
    return this.base?.versionId ?? null;
  }

  /** Starts loading in the background and polling for changes; returns at once. */
  start(pollMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), pollMs);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    try {
      if (!this.baseChecked || this.ticks % 10 === 0) await this.loadNewestBase();
      this.ticks += 1;
      await this.refreshRecent();
    } catch (error) {
      logger.warn({ err: error }, "search index refresh failed; retrying");
    }
  }

  /** Loads the newest ready version when it is newer than the one in memory (then swaps it in). */
  loadNewestBase(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const newest = await prisma.searchIndexVersion.findFirst({
          where: { status: "ready" },
          orderBy: { id: "desc" },
          select: { id: true, highWaterSeq: true, shardCount: true },
        });
        if (newest && newest.id !== this.base?.versionId) {
          const shards: Shard[] = [];
          for (let i = 0; i < newest.shardCount; i++) {
            const row = await prisma.searchIndexShard.findUnique({ where: { versionId_shard: { versionId: newest.id, shard: i } }, select: { data: true } });
            if (!row) throw new Error(`search index version ${newest.id} lacks shard ${i}`);
            // gunzip on the thread pool, then views over the bytes and the term map a slice at a time:
            // requests go through all along (ADR 076).
            shards.push(await loadShard(row.data));
            await new Promise((r) => setImmediate(r));
          }
          const previousHighWater = this.base?.highWaterSeq;
          this.base = { versionId: newest.id, highWaterSeq: newest.highWaterSeq, shards };
          const reset = previousHighWater !== newest.highWaterSeq ? { maxSeq: -1n, count: -1 } : {};
          this.recent = { ...this.recent, ...reset, masks: this.shadowMasks(this.recent.changed) };
          logger.info({ versionId: newest.id.toString(), shards: shards.length }, "search index loaded");
          await this.refreshRecent();
        }
        this.baseChecked = true;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** Rebuilds the recent index when search_documents changed since the base (count or max seq moved). */
  refreshRecent(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const since = this.base?.highWaterSeq ?? 0n;
        const [state] = await prisma.$queryRaw<[{ max: bigint | null; n: number }]>`
          SELECT max(seq) AS max, count(*)::int AS n FROM search_documents WHERE seq > ${since}`;
        const maxSeq = state.max ?? 0n;
        if (maxSeq === this.recent.maxSeq && state.n === this.recent.count) return;
        const rows = await prisma.$queryRaw<Array<{ doc_key: string; doc_type: string; category_id: number | null; title: string; body: string; tags: string[]; resolved: boolean; score: number; visible: boolean }>>`
          SELECT doc_key, doc_type, category_id, title, body, tags, resolved, score, visible FROM search_documents
          WHERE seq > ${since} ORDER BY seq DESC LIMIT ${RECENT_LIMIT}`;
        if (state.n > RECENT_LIMIT) logger.warn({ changed: state.n }, "search: many documents changed since the base index; rebuild it (npm run search:reindex)");
        const visible: IndexedDocument[] = rows
          .filter((r) => r.visible)
          .map((r) => ({ docKey: r.doc_key, docType: r.doc_type, categoryId: r.category_id, title: r.title, body: r.body, tags: r.tags, resolved: r.resolved, score: r.score }));
        const changed = new Set(rows.map((r) => r.doc_key));
        this.recent = {
          shard: visible.length > 0 ? await this.buildRecentShard(visible) : null,
          changed,
          maxSeq,
          count: state.n,
          masks: this.shadowMasks(changed),
        };
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** For each base shard, a byte per document: 1 when the recent set shadows it (undefined: none). */
  private shadowMasks(changed: Set<string>): Recent["masks"] {
    return (this.base?.shards ?? []).map((shard) => {
      if (changed.size === 0) return undefined;
      let mask: Uint8Array | undefined;
      shard.docs.forEach((doc, ref) => {
        if (!changed.has(doc[0])) return;
        mask ??= new Uint8Array(shard.docs.length);
        mask[ref] = 1;
      });
      return mask;
    });
  }

  /**
   * Builds the recent shard on the builder thread (ADR 076), with the base's document frequencies so
   * that its scores compare with the base shards'. The frequencies are counted here, a few thousand
   * terms at a time between turns of the event loop.
   */
  private async buildRecentShard(documents: IndexedDocument[]): Promise<Shard> {
    const shards = this.base?.shards ?? [];
    const bytes = await buildShardOffThread(documents, {
      gzip: false,
      frequencies: shards.length === 0 ? undefined : (terms) => baseFrequencies(shards, terms),
    });
    return decodeShard(bytes);
  }

  /** The `limit` best matches of some readings over base (minus shadowed documents) and recent, and their count. */
  private run(
    readings: Array<Omit<ShardQuery, "anyOf">>,
    prefix: string | null,
    filter: SearchFilters,
    limit: number,
    prefixMode: "required" | "optional" = "required",
    fields?: ShardQuery["fields"],
  ): { count: number; top: RankedHit[] } {
    let count = 0;
    let top: RankedHit[] = [];
    const shards: Array<[Shard, Uint8Array | undefined]> = (this.base?.shards ?? []).map((s, i) => [s, this.recent.masks[i]]);
    if (this.recent.shard) shards.push([this.recent.shard, undefined]);
    for (const [shard, shadowed] of shards) {
      const completions = prefix ? expandPrefix(shard.terms, prefix) : [];
      if (prefix && prefixMode === "required" && completions.length === 0) continue;
      const shardReadings =
        prefixMode === "required"
          ? readings.map((r) => ({ ...r, anyOf: completions, fields }))
          : readings.map((r) => ({ ...r, optional: [...new Set([...r.optional, ...completions])], anyOf: [], fields }));
      const result = queryShard(shard, shardReadings, { filter, shadowed, limit });
      count += result.count;
      top = top.concat(result.top);
    }
    top.sort((a, b) => b.rank - a.rank || (a.docKey < b.docKey ? -1 : 1));
    return { count, top: top.slice(0, limit) };
  }

  /**
   * Full-text search: every term of a reading of the query must match (all readings are searched
   * and merged); when nothing matches every term, documents matching some of them are returned.
   * A trailing `*` on the last word asks for its completions (bounded: MAX_PREFIX_EXPANSIONS).
   * Returns the count of matches and the `limit` best, ranked.
   */
  search(text: string, filters: SearchFilters = {}, limit = 1000): EngineResult {
    if (!this.ready) return { status: "warming" };
    const prefixMatch = /([\p{L}\p{N}]{2,})\*\s*$/u.exec(text);
    const prefix = prefixMatch ? analyzeQuery(prefixMatch[1]!).lastWord?.term ?? null : null;
    const query = analyzeQuery(prefix ? text.slice(0, prefixMatch!.index) : text);
    if (query.variants.length === 0 && !prefix) return { status: "ok", query, hits: [], total: 0, matchedAll: true };
    const readings = query.variants.length > 0 ? query.variants.map((terms) => ({ required: terms, optional: [] })) : [{ required: [], optional: [] }];
    let matchedAll = true;
    let result = this.run(readings, prefix, filters, limit);
    if (result.count === 0 && query.terms.length > 1) {
      matchedAll = false;
      result = this.run([{ required: [], optional: query.terms }], prefix, filters, limit);
    }
    return { status: "ok", query, hits: result.top, total: result.count, matchedAll };
  }

  /**
   * Suggestions while a question's title is typed: first up to `limit` resolved threads and articles
   * that share words with it (any of them), then up to `openLimit` open threads whose titles do, so
   * that on a young community an identical open question is seen before it is asked again. The
   * unfinished last word is completed from the index. Hits come in that order (resolved, then open);
   * `total` counts both kinds.
   */
  suggest(text: string, limit = 5, openLimit = OPEN_SUGGESTIONS): EngineResult {
    if (!this.ready) return { status: "warming" };
    const query = analyzeQuery(text);
    const complete = query.lastWord ? analyze(text.slice(0, text.length - query.lastWord.term.length)) : query.terms;
    const optional = [...new Set([...complete, ...query.terms])].slice(0, 12);
    if (optional.length === 0 && !query.lastWord) return { status: "ok", query, hits: [], total: 0, matchedAll: false };
    // The unfinished word widens the match (its completions are optional terms too), never narrows it.
    // Titles (with tags) are compared with titles first: what "similar questions" means, and a title's
    // postings are a few percent of a body's, which keeps this fast on every pause in typing. Only when
    // titles give fewer than `limit` resolved ones do bodies fill the rest (a small forum, a rare
    // wording). Open threads are matched by title only: a duplicate question repeats the title's words.
    const readings = [{ required: [], optional }];
    const prefix = query.lastWord?.term ?? null;
    const resolved: SearchFilters = { resolvedOnly: true };
    let hits: RankedHit[];
    let total: number;
    const byTitle = this.run(readings, prefix, resolved, limit, "optional", ["t"]);
    if (byTitle.top.length >= limit) {
      hits = byTitle.top;
      total = byTitle.count;
    } else {
      const byText = this.run(readings, prefix, resolved, limit, "optional");
      const seen = new Set(byTitle.top.map((h) => h.docKey));
      hits = [...byTitle.top, ...byText.top.filter((h) => !seen.has(h.docKey))].slice(0, limit);
      total = Math.max(byTitle.count, byText.count);
    }
    if (openLimit > 0) {
      const open = this.run(readings, prefix, { type: "thread", openOnly: true }, openLimit, "optional", ["t"]);
      hits = [...hits, ...open.top];
      total += open.count;
    }
    return { status: "ok", query, hits, total, matchedAll: false };
  }
}

/** Per term, its document frequency over the base shards (counted 2,000 terms per turn of the event loop). */
async function baseFrequencies(shards: Shard[], terms: string[]): Promise<Frequencies> {
  const df = new Int32Array(terms.length);
  for (let i = 0; i < terms.length; i++) {
    for (const shard of shards) df[i] += documentFrequency(shard, terms[i]!);
    if ((i + 1) % 2000 === 0) await new Promise((r) => setImmediate(r));
  }
  return { documents: shards.reduce((n, s) => n + s.docs.length, 0), df };
}

/** The engine of this process. */
export const searchEngine = new SearchEngine();

// A server starts loading the index as soon as the app is loaded, in the background (pages are
// served meanwhile); tests and commands start it (or refresh it) themselves.
if (process.env.NODE_ENV === "production" && process.env.SEARCH_AUTOSTART !== "false") searchEngine.start();
