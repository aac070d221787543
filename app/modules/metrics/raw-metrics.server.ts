import { prisma } from "~/utils/db.server.ts";

/**
 * Every daily rollup cell of [from, to], recomputed from the raw tables only (threads, domain_events,
 * thread_views, article_views, articles, search_queries) without question_stats or daily_rollups.
 * This is the SQL docs/metrics.md documents; tests compare it with the maintained rollups.
 */
export const RAW_DAILY_CELLS_SQL = `
WITH t AS (
  SELECT id, category_id, created_at, first_answer_at, resolved_at FROM threads
  WHERE hidden_at IS NULL AND deleted_at IS NULL
), s AS (
  SELECT id, (created_at AT TIME ZONE 'UTC')::date AS day, visitor_key, created_at,
    COALESCE(category_id, 0) AS category_id, result_count, opened_doc
  FROM search_queries WHERE (created_at AT TIME ZONE 'UTC')::date BETWEEN $1::date AND $2::date
), sessions AS (
  SELECT day, visitor_key, (array_agg(category_id ORDER BY created_at, id))[1] AS category_id,
    min(created_at) AS started, max(created_at) AS ended, bool_or(opened_doc IS NOT NULL) AS opened
  FROM s WHERE visitor_key IS NOT NULL GROUP BY day, visitor_key
), cells AS (
  SELECT (created_at AT TIME ZONE 'UTC')::date AS day, category_id, 'asked' AS metric, count(*) AS value FROM t GROUP BY 1, 2
  UNION ALL SELECT (created_at AT TIME ZONE 'UTC')::date, category_id, 'answered', count(*) FROM t WHERE first_answer_at IS NOT NULL GROUP BY 1, 2
  UNION ALL SELECT (created_at AT TIME ZONE 'UTC')::date, category_id, 'resolved', count(*) FROM t WHERE resolved_at IS NOT NULL GROUP BY 1, 2
  UNION ALL SELECT (resolved_at AT TIME ZONE 'UTC')::date, category_id, 'resolutions', count(*) FROM t WHERE resolved_at IS NOT NULL GROUP BY 1, 2
  UNION ALL SELECT (e.occurred_at AT TIME ZONE 'UTC')::date, t.category_id,
      CASE e.type WHEN 'answer.accepted' THEN 'acceptances' ELSE 'reopens' END, count(*)
    FROM domain_events e JOIN t ON t.id = (e.payload->>'threadId')::bigint
    WHERE e.type IN ('answer.accepted', 'answer.unaccepted') GROUP BY 1, 2, 3
  UNION ALL SELECT v.day, t.category_id, 'resolved_thread_views', count(*)
    FROM thread_views v JOIN t ON t.id = v.thread_id WHERE t.resolved_at IS NOT NULL GROUP BY 1, 2
  UNION ALL SELECT av.day, a.category_id, 'article_views', count(*)
    FROM article_views av JOIN articles a ON a.id = av.article_id GROUP BY 1, 2
  UNION ALL SELECT day, category_id, 'searches', count(*) FROM s GROUP BY 1, 2
  UNION ALL SELECT day, category_id, 'zero_result_searches', count(*) FROM s WHERE result_count = 0 GROUP BY 1, 2
  UNION ALL SELECT day, category_id, 'search_sessions', count(*) FROM sessions GROUP BY 1, 2
  UNION ALL SELECT ss.day, ss.category_id, 'deflected_sessions', count(*) FROM sessions ss
    WHERE ss.opened AND NOT EXISTS (
      SELECT 1 FROM threads q WHERE ss.visitor_key LIKE 'u:%' AND q.author_id = substr(ss.visitor_key, 3)
        AND q.created_at >= ss.started AND q.created_at < ss.ended + interval '24 hours')
    GROUP BY 1, 2
)
SELECT day::text AS day, category_id, metric, value FROM cells
WHERE day BETWEEN $1::date AND $2::date AND value > 0
ORDER BY day, category_id, metric`;

export type Cell = { day: string; categoryId: number; metric: string; value: number };

export async function rawDailyCells(from: string, to: string): Promise<Cell[]> {
  const rows = await prisma.$queryRawUnsafe<{ day: string; category_id: number; metric: string; value: bigint }[]>(RAW_DAILY_CELLS_SQL, from, to);
  return rows.map((r) => ({ day: r.day, categoryId: r.category_id, metric: r.metric, value: Number(r.value) }));
}

/**
 * The maintained rollup cells of [from, to], in the same shape and order: those the event handlers
 * keep. The journey cells ('journeys', 'deflected_journeys') are kept by the `journey-rollups` job from
 * their own documented SQL (JOURNEY_CELLS_SQL, ADR 077) and tested there.
 */
export async function storedDailyCells(from: string, to: string): Promise<Cell[]> {
  const rows = await prisma.$queryRaw<{ day: string; category_id: number; metric: string; value: bigint }[]>`
    SELECT day::text AS day, category_id, metric, value FROM daily_rollups
    WHERE day BETWEEN ${from}::date AND ${to}::date AND metric NOT IN ('journeys', 'deflected_journeys') ORDER BY day, category_id, metric`;
  return rows.map((r) => ({ day: r.day, categoryId: r.category_id, metric: r.metric, value: Number(r.value) }));
}
