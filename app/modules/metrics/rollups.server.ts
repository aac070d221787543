import { Prisma } from "~/generated/prisma/client.ts";
import { announceCacheChange } from "~/utils/cache-signals.server.ts";
import { JOURNEY_CELLS_SQL } from "~/modules/support/support-metrics.server.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";

/**
 * The dashboard's rollups (ADR 023). Two derived tables, both rebuildable from the raw tables:
 * - question_stats: one narrow row per question (asked, first answer, current resolution, excluded),
 *   copied from `threads`; medians and percentiles are read from it.
 * - daily_rollups: one value per (UTC day, category, metric). A cell is never incremented: it is
 *   recomputed from the raw tables by the SQL below, under an advisory lock per (group, day), so an
 *   event handled twice, two handlers racing, or a backfill over any day range all end with the
 *   same value. docs/metrics.md documents the same SQL, written against the raw tables.
 */

/** Metrics are recomputed in groups: one SQL statement computes every metric of a group. */
export const METRIC_GROUPS = {
  questions: ["asked", "answered", "resolved", "resolutions"],
  events: ["acceptances", "reopens"],
  views: ["resolved_thread_views", "article_views"],
  search: ["searches", "zero_result_searches", "search_sessions", "deflected_sessions"],
  journeys: ["journeys", "deflected_journeys"],
} as const;

export type MetricGroup = keyof typeof METRIC_GROUPS;
export type Metric = (typeof METRIC_GROUPS)[MetricGroup][number];
export const ALL_GROUPS = Object.keys(METRIC_GROUPS) as MetricGroup[];
/** Rollup category of rows without one (searches not scoped to a category). */
export const NO_CATEGORY = 0;

/** "YYYY-MM-DD" of a timestamp's UTC day. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return utcDay(d);
}

/** The SELECT of one group: rows (day, category_id, metric, value) for the given days (and categories). */
function groupSql(group: Exclude<MetricGroup, "journeys">, days: string[], categories: number[] | null): Prisma.Sql {
  const sorted = [...days].sort();
  const lo = Prisma.sql`${`${sorted[0]}T00:00:00Z`}::timestamptz`;
  const hi = Prisma.sql`${`${addDays(sorted.at(-1)!, 1)}T00:00:00Z`}::timestamptz`;
  const inCategories = (column: Prisma.Sql) => (categories ? Prisma.sql`AND ${column} = ANY(${categories}::int[])` : Prisma.empty);
  switch (group) {
    case "questions":
      return Prisma.sql`
        SELECT x.day, x.category_id, m.metric, m.value FROM (
          SELECT (q.asked_at AT TIME ZONE 'UTC')::date AS day, q.category_id,
            count(*) AS asked, count(q.first_answer_at) AS answered, count(q.resolved_at) AS resolved
          FROM question_stats q
          WHERE NOT q.excluded AND q.asked_at >= ${lo} AND q.asked_at < ${hi}
            AND (q.asked_at AT TIME ZONE 'UTC')::date = ANY(${days}::date[]) ${inCategories(Prisma.sql`q.category_id`)}
          GROUP BY 1, 2
        ) x CROSS JOIN LATERAL (VALUES ('asked', x.asked), ('answered', x.answered), ('resolved', x.resolved)) AS m(metric, value)
        UNION ALL
        SELECT (q.resolved_at AT TIME ZONE 'UTC')::date, q.category_id, 'resolutions', count(*)
        FROM question_stats q
        WHERE NOT q.excluded AND q.resolved_at >= ${lo} AND q.resolved_at < ${hi}
          AND (q.resolved_at AT TIME ZONE 'UTC')::date = ANY(${days}::date[]) ${inCategories(Prisma.sql`q.category_id`)}
        GROUP BY 1, 2`;
    case "events":
      return Prisma.sql`
        SELECT (e.occurred_at AT TIME ZONE 'UTC')::date AS day, q.category_id,
          CASE e.type WHEN 'answer.accepted' THEN 'acceptances' ELSE 'reopens' END AS metric, count(*) AS value
        FROM domain_events e JOIN question_stats q ON q.thread_id = (e.payload->>'threadId')::bigint
        WHERE e.type IN ('answer.accepted', 'answer.unaccepted') AND e.occurred_at >= ${lo} AND e.occurred_at < ${hi}
          AND (e.occurred_at AT TIME ZONE 'UTC')::date = ANY(${days}::date[]) AND NOT q.excluded ${inCategories(Prisma.sql`q.category_id`)}
        GROUP BY 1, 2, 3`;
    case "views":
      return Prisma.sql`
        SELECT v.day, q.category_id, 'resolved_thread_views' AS metric, count(*) AS value
        FROM thread_views v JOIN question_stats q ON q.thread_id = v.thread_id
        WHERE v.day = ANY(${days}::date[]) AND NOT q.excluded AND q.resolved_at IS NOT NULL ${inCategories(Prisma.sql`q.category_id`)}
        GROUP BY 1, 2
        UNION ALL
        SELECT av.day, a.category_id, 'article_views', count(*)
        FROM article_views av JOIN articles a ON a.id = av.article_id
        WHERE av.day = ANY(${days}::date[]) ${inCategories(Prisma.sql`a.category_id`)}
        GROUP BY 1, 2`;
    case "search":
      // Always whole days: a session's category is that of its first search.
      return Prisma.sql`
        WITH s AS (
          SELECT id, (created_at AT TIME ZONE 'UTC')::date AS day, visitor_key, created_at,
            COALESCE(category_id, ${NO_CATEGORY}) AS category_id, result_count, opened_doc
          FROM search_queries
          WHERE created_at >= ${lo} AND created_at < ${hi} AND (created_at AT TIME ZONE 'UTC')::date = ANY(${days}::date[])
        ), sessions AS (
          SELECT day, visitor_key, (array_agg(category_id ORDER BY created_at, id))[1] AS category_id,
            min(created_at) AS started, max(created_at) AS ended, bool_or(opened_doc IS NOT NULL) AS opened
          FROM s WHERE visitor_key IS NOT NULL GROUP BY day, visitor_key
        )
        SELECT day, category_id, 'searches' AS metric, count(*) AS value FROM s GROUP BY 1, 2
        UNION ALL SELECT day, category_id, 'zero_result_searches', count(*) FROM s WHERE result_count = 0 GROUP BY 1, 2
        UNION ALL SELECT day, category_id, 'search_sessions', count(*) FROM sessions GROUP BY 1, 2
        UNION ALL SELECT ss.day, ss.category_id, 'deflected_sessions', count(*) FROM sessions ss
          WHERE ss.opened AND NOT EXISTS (
            SELECT 1 FROM threads t
            WHERE ss.visitor_key LIKE 'u:%' AND t.author_id = substr(ss.visitor_key, 3)
              AND t.created_at >= ss.started AND t.created_at < ss.ended + interval '24 hours')
          GROUP BY 1, 2`;
  }
}

/** The groups made from rows the journey's retention purges: views (deleted), searches (anonymised), journeys (both). */
const PURGED_GROUPS: ReadonlySet<MetricGroup> = new Set(["views", "search", "journeys"]);
/**
 * Days after the purge mark whose cells are still recomputed: the mark's own day is partly purged (searches
 * before the cutoff's time), and a journey cell reads steps from the day before (30 minutes) and after.
 */
const PURGE_MARGIN_DAYS = 2;

/** The first day the journey's retention has not purged ("YYYY-MM-DD"), or null when it never ran (ADR 079). */
export async function journeyPurgedBefore(db: Tx | typeof prisma = prisma): Promise<string | null> {
  const [row] = await db.$queryRaw<{ day: string }[]>`SELECT to_char(purged_before, 'YYYY-MM-DD') AS day FROM retention_marks WHERE name = 'journey'`;
  return row?.day ?? null;
}

/**
 * Recomputes the cells of one metric group for `days` (and `categories`, or all) from the raw
 * tables: lock (group, day) in a fixed order, delete the cells, insert the fresh values (zeros are
 * not stored). Runs in the caller's transaction.
 */
export async function recomputeCells(tx: Tx, group: MetricGroup, days: string[], categories: number[] | null = null): Promise<void> {
  let unique = [...new Set(days)].sort();
  // The retention job forgets the journey's raw steps (ADR 057): the cells of the days it purged are all
  // that is left of their views, searches and journeys, so they are kept as they are (ADR 079).
  if (PURGED_GROUPS.has(group)) {
    const mark = await journeyPurgedBefore(tx);
    if (mark) unique = unique.filter((d) => d >= addDays(mark, PURGE_MARGIN_DAYS));
  }
  if (unique.length === 0 || (categories && categories.length === 0)) return;
  const scope = group === "search" || group === "journeys" ? null : categories;
  await tx.$queryRaw`
    SELECT count(pg_advisory_xact_lock(hashtext('metrics:' || ${group}::text || ':' || d::text))) FROM (SELECT unnest(${unique}::date[]) AS d ORDER BY 1) AS days`;
  const metrics = [...METRIC_GROUPS[group]];
  await tx.$executeRaw`
    DELETE FROM daily_rollups WHERE metric = ANY(${metrics}::text[]) AND day = ANY(${unique}::date[])
      ${scope ? Prisma.sql`AND category_id = ANY(${scope}::int[])` : Prisma.empty}`;
  if (group === "journeys") {
    await tx.$executeRawUnsafe(
      `INSERT INTO daily_rollups (day, category_id, metric, value, updated_at)
       SELECT c.day, c.category_id, m.metric, m.value, now() FROM (${JOURNEY_CELLS_SQL}) AS c
       CROSS JOIN LATERAL (VALUES ('journeys', c.journeys), ('deflected_journeys', c.deflected)) AS m(metric, value)
       WHERE c.day = ANY($3::date[]) AND m.value > 0`,
      `${unique[0]}T00:00:00Z`,
      `${addDays(unique.at(-1)!, 1)}T00:00:00Z`,
      unique,
    );
    return;
  }
  await tx.$executeRaw`
    INSERT INTO daily_rollups (day, category_id, metric, value, updated_at)
    SELECT day, category_id, metric, value, now() FROM (${groupSql(group, unique, scope)}) AS fresh WHERE value > 0`;
}

/** How many days back the `journey-rollups` job recomputes: a day's journey cells are final three days after it. */
export const JOURNEY_OPEN_DAYS = 3;

/**
 * The `journey-rollups` job (every ten minutes): the journey cells of today and the JOURNEY_OPEN_DAYS
 * before it, from the raw steps (ADR 077). A journey is too long-lived for one event to say which
 * cell it moves, and sessionizing a day for every view would cost more than the dashboard saves.
 */
export async function refreshJourneyCells(now: Date = new Date()): Promise<string[]> {
  const today = utcDay(now);
  const days = Array.from({ length: JOURNEY_OPEN_DAYS + 1 }, (_, i) => addDays(today, i - JOURNEY_OPEN_DAYS));
  await prisma.$transaction((tx) => recomputeCells(tx, "journeys", days), { timeout: 120_000 });
  return days;
}

type StatRow = { category_id: number; asked_at: Date; resolved_at: Date | null; excluded: boolean };

/**
 * Copies one thread's times into question_stats and returns its row before and after (either may be
 * missing), so the caller knows which day cells changed.
 */
export async function syncQuestionStat(tx: Tx, threadId: bigint): Promise<{ before?: StatRow; after?: StatRow }> {
  const [before] = await tx.$queryRaw<StatRow[]>`
    SELECT category_id, asked_at, resolved_at, excluded FROM question_stats WHERE thread_id = ${threadId} FOR NO KEY UPDATE`;
  const [after] = await tx.$queryRaw<StatRow[]>`
    INSERT INTO question_stats (thread_id, category_id, asked_at, first_answer_at, resolved_at, excluded, updated_at)
    SELECT id, category_id, created_at, first_answer_at, resolved_at, (hidden_at IS NOT NULL OR deleted_at IS NOT NULL), now()
    FROM threads WHERE id = ${threadId}
    ON CONFLICT (thread_id) DO UPDATE SET category_id = EXCLUDED.category_id, asked_at = EXCLUDED.asked_at,
      first_answer_at = EXCLUDED.first_answer_at, resolved_at = EXCLUDED.resolved_at, excluded = EXCLUDED.excluded, updated_at = now()
    RETURNING category_id, asked_at, resolved_at, excluded`;
  return { before, after };
}

/** Copies every thread into question_stats (the backfill's first step; ~1 s per 100,000 threads). */
export async function syncAllQuestionStats(db: Tx | typeof prisma = prisma): Promise<number> {
  return db.$executeRaw`
    INSERT INTO question_stats (thread_id, category_id, asked_at, first_answer_at, resolved_at, excluded, updated_at)
    SELECT id, category_id, created_at, first_answer_at, resolved_at, (hidden_at IS NOT NULL OR deleted_at IS NOT NULL), now()
    FROM threads
    ON CONFLICT (thread_id) DO UPDATE SET category_id = EXCLUDED.category_id, asked_at = EXCLUDED.asked_at,
      first_answer_at = EXCLUDED.first_answer_at, resolved_at = EXCLUDED.resolved_at, excluded = EXCLUDED.excluded, updated_at = now()
    WHERE (question_stats.category_id, question_stats.asked_at, question_stats.first_answer_at, question_stats.resolved_at, question_stats.excluded)
      IS DISTINCT FROM (EXCLUDED.category_id, EXCLUDED.asked_at, EXCLUDED.first_answer_at, EXCLUDED.resolved_at, EXCLUDED.excluded)`;
}

/**
 * Rebuilds every rollup cell of [from, to] (UTC days, inclusive) from the raw tables, in
 * transactions of `chunkDays` days: `npm run metrics:rollup -- --from … --to …`. Safe to run while
 * the app runs (same locks as the handlers) and as often as wanted.
 */
export async function rebuildRollups(from: string, to: string, options: { chunkDays?: number; onChunk?: (from: string, to: string) => void } = {}): Promise<{ days: number; questionStats: number }> {
  const questionStats = await syncAllQuestionStats();
  const chunk = options.chunkDays ?? 31;
  let days = 0;
  for (let start = from; start <= to; start = addDays(start, chunk)) {
    const span: string[] = [];
    for (let d = start; d <= to && span.length < chunk; d = addDays(d, 1)) span.push(d);
    await prisma.$transaction(
      async (tx) => {
        for (const group of ALL_GROUPS) await recomputeCells(tx, group, span);
      },
      { timeout: 120_000 },
    );
    days += span.length;
    options.onChunk?.(span[0]!, span.at(-1)!);
  }
  // Every app server's dashboard cache shows the rebuilt figures at once (ADR 060).
  announceCacheChange("dashboard");
  return { days, questionStats };
}
