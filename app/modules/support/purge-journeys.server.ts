import { prisma } from "~/utils/db.server.ts";
import { JOURNEY_RETENTION_DAYS } from "./journey-queries.server.ts";

const BATCH = 10_000;

/**
 * The journey's 90-day retention (issue 20, ADR 057), run daily by the `journey-retention` job (tests
 * pass `now`). What ties activity older than 90 days to a person is removed; the counts the forum and
 * the dashboard keep (view counts, daily rollups, search counts, article helpfulness) stay:
 * - thread_views and article_views rows are deleted (the daily rollups already hold their counts);
 * - search_queries keep the query and its result count, but lose visitor_key and user_id;
 * - article_feedback keeps the answer (the article's helpfulness counts) under a random, unlinkable key;
 * - visitor_links not refreshed by a sign-in for 90 days are deleted.
 * Domain events are append-only (ADR 039) and stay: the journey never reads them beyond 90 days.
 * Before it deletes anything it records how far it purges (`retention_marks`, ADR 079), so the dashboard's
 * view, search and journey cells of those days are kept, never recomputed from what is left.
 * Works in batches so no statement holds many rows' locks for long. Returns the rows changed per table.
 */
export async function purgeOldJourneys(now: Date = new Date()): Promise<Record<string, number>> {
  const cutoff = new Date(now.getTime() - JOURNEY_RETENTION_DAYS * 24 * 3600_000);
  // The mark first (ADR 079): from now on no rollup recomputes the days about to be purged, so a
  // recomputation running beside the purge cannot replace their counts with what is left of them.
  await prisma.$executeRaw`
    INSERT INTO retention_marks (name, purged_before) VALUES ('journey', ${cutoff}::date)
    ON CONFLICT (name) DO UPDATE SET purged_before = GREATEST(retention_marks.purged_before, EXCLUDED.purged_before), updated_at = now()`;
  const changed: Record<string, number> = { thread_views: 0, article_views: 0, search_queries: 0, article_feedback: 0, visitor_links: 0 };
  const loop = async (table: string, run: () => Promise<number>) => {
    for (;;) {
      const n = await run();
      changed[table]! += n;
      if (n < BATCH) return;
    }
  };
  await loop("thread_views", () => prisma.$executeRaw`
    DELETE FROM thread_views WHERE (thread_id, visitor_key, day) IN (SELECT thread_id, visitor_key, day FROM thread_views WHERE day < ${cutoff}::date LIMIT ${BATCH})`);
  await loop("article_views", () => prisma.$executeRaw`
    DELETE FROM article_views WHERE (article_id, visitor_key, day) IN (SELECT article_id, visitor_key, day FROM article_views WHERE day < ${cutoff}::date LIMIT ${BATCH})`);
  await loop("search_queries", () => prisma.$executeRaw`
    UPDATE search_queries SET visitor_key = NULL, user_id = NULL
    WHERE id IN (SELECT id FROM search_queries WHERE created_at < ${cutoff} AND (visitor_key IS NOT NULL OR user_id IS NOT NULL) LIMIT ${BATCH})`);
  await loop("article_feedback", () => prisma.$executeRaw`
    UPDATE article_feedback SET visitor_key = 'x:' || gen_random_uuid(), user_id = NULL
    WHERE (article_id, visitor_key) IN (SELECT article_id, visitor_key FROM article_feedback WHERE updated_at < ${cutoff} AND visitor_key NOT LIKE 'x:%' LIMIT ${BATCH})`);
  await loop("visitor_links", () => prisma.$executeRaw`
    DELETE FROM visitor_links WHERE (visitor_id, user_id) IN (SELECT visitor_id, user_id FROM visitor_links WHERE linked_at < ${cutoff} LIMIT ${BATCH})`);
  return changed;
}
