import { prisma } from "~/utils/db.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { SEARCH_SEQ_LOCK } from "./search-documents.server.ts";
import { type IndexedDocument } from "./search-index.server.ts";
import { buildShardOffThread } from "./shard-builder.server.ts";

/** Documents per shard: small enough to build and load one at a time, large enough to keep few shards. */
export const SHARD_SIZE = 12_500;

export type BuildProgress = { done: number; total: number; shards: number; bytes: number };

/**
 * Builds a new base index version from search_documents and stores it in PostgreSQL, shard by shard
 * (ADR 019). The high-water mark is read under an exclusive advisory lock that every document writer
 * holds shared, so every row with seq <= mark has committed: the base holds them all and the servers'
 * recent index covers what comes after. Keeps the previous ready version for servers still loading it.
 */
export async function buildSearchIndex(options: { shardSize?: number; onProgress?: (p: BuildProgress) => void } = {}) {
  const started = Date.now();
  const shardSize = options.shardSize ?? SHARD_SIZE;
  const highWaterSeq = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEARCH_SEQ_LOCK}::bigint)`;
    const [row] = await tx.$queryRaw<[{ hw: bigint }]>`SELECT coalesce(max(seq), 0)::bigint AS hw FROM search_documents`;
    return row.hw;
  });
  const [{ total }] = await prisma.$queryRaw<[{ total: number }]>`
    SELECT count(*)::int AS total FROM search_documents WHERE visible AND seq <= ${highWaterSeq}`;
  const version = await prisma.searchIndexVersion.create({
    data: { highWaterSeq, docCount: total, shardCount: 0, totalBytes: 0, buildMs: 0, status: "building" },
    select: { id: true },
  });
  let after = "";
  let shard = 0;
  let done = 0;
  let bytes = 0;
  try {
    for (;;) {
      const rows = await prisma.$queryRaw<Array<IndexedDocument & { doc_key: string; doc_type: string; category_id: number | null }>>`
        SELECT doc_key, doc_type, category_id, title, body, tags, resolved, score FROM search_documents
        WHERE visible AND seq <= ${highWaterSeq} AND doc_key > ${after} ORDER BY doc_key LIMIT ${shardSize}`;
      if (rows.length === 0) break;
      after = rows.at(-1)!.doc_key;
      // Analyzed, built and encoded on the builder thread (ADR 076): the app's requests go on meanwhile.
      const data = await buildShardOffThread(
        rows.map((r) => ({ docKey: r.doc_key, docType: r.doc_type, categoryId: r.category_id, title: r.title, body: r.body, tags: r.tags, resolved: r.resolved, score: r.score })),
        { gzip: true },
      );
      await prisma.searchIndexShard.create({ data: { versionId: version.id, shard, data: new Uint8Array(data) } });
      shard += 1;
      done += rows.length;
      bytes += data.length;
      options.onProgress?.({ done, total, shards: shard, bytes });
          }
    const buildMs = Date.now() - started;
    await prisma.searchIndexVersion.update({
      where: { id: version.id },
      data: { status: "ready", shardCount: shard, totalBytes: bytes, buildMs, docCount: done },
    });
    // Keep this version and the one before it; older ones (and abandoned builds) go.
    const keep = await prisma.searchIndexVersion.findMany({ where: { status: "ready" }, orderBy: { id: "desc" }, take: 2, select: { id: true } });
    await prisma.searchIndexVersion.deleteMany({
      where: { id: { notIn: keep.map((k) => k.id) }, OR: [{ status: "ready" }, { createdAt: { lt: new Date(Date.now() - 6 * 3600_000) } }] },
    });
    logger.info({ versionId: version.id.toString(), docs: done, shards: shard, bytes, buildMs }, "search index built");
    return { versionId: version.id, highWaterSeq, docCount: done, shardCount: shard, totalBytes: bytes, buildMs };
  } catch (error) {
    await prisma.searchIndexVersion.delete({ where: { id: version.id } }).catch(() => undefined);
    throw error;
  }
}

/** Documents changed since the newest ready version: when this grows, a rebuild is due. */
export async function documentsSinceBase(): Promise<number> {
  const [row] = await prisma.$queryRaw<[{ n: number }]>`
    SELECT count(*)::int AS n FROM search_documents
    WHERE seq > coalesce((SELECT high_water_seq FROM search_index_versions WHERE status = 'ready' ORDER BY id DESC LIMIT 1), 0)`;
  return row.n;
}

/** A rebuild is due when this many documents changed since the base (the recent index stays small). */
export const REBUILD_AFTER_CHANGES = 2000;

/** The search-rebuild job: builds a new base when enough changed, or when there is none yet. */
export async function rebuildSearchIndexIfDue(options: { force?: boolean } = {}) {
  const changed = await documentsSinceBase();
  const hasBase = (await prisma.searchIndexVersion.count({ where: { status: "ready" } })) > 0;
  if (options.force || changed >= REBUILD_AFTER_CHANGES || (!hasBase && changed > 0)) return buildSearchIndex();
  return null;
}
