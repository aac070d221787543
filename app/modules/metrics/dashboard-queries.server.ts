import { categoryMap, expertIn } from "~/modules/reputation/expert-marks.server.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { onCacheChange } from "~/utils/cache-signals.server.ts";
import { rangeOfScope, supportMetrics, type SupportMetrics } from "~/modules/support/support-metrics.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, ok, type Result } from "~/utils/http.server.ts";
import { canSeeDashboard } from "./metrics.policy.ts";
import { DashboardQuerySchema, resolveRange, shiftDay, type DayRange, type Preset } from "./metrics.schema.ts";

/**
 * The dashboard's reads (definitions and the equivalent raw SQL: docs/metrics.md). Sums come from
 * daily_rollups, medians and percentiles from question_stats; the small per-item tables (feedback
 * per article, zero-result queries, experts, the unanswered queue) from their own indexed tables.
 */

export type Scope = DayRange & { categoryId: number | null; categorySlug: string | null; categoryName: string | null };
export type FigureKind = "count" | "rate" | "duration";
export type Figure = { key: string; kind: FigureKind; value: number | null; previous: number | null };

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const nOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const start = (day: string) => Prisma.sql`${`${day}T00:00:00Z`}::timestamptz`;
const end = (day: string) => start(shiftDay(day, 1));

/** Today as a UTC day. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Checks the viewer and the query string: staff or admin (else forbidden), a valid range (else
 * field errors), a known category (else a field error). Used by the page and the CSV exports.
 */
export async function resolveScope(actor: Actor | null, input: Record<string, string | undefined>, today = todayUtc()): Promise<Result<Scope>> {
  if (!canSeeDashboard(actor)) return forbidden("messages.metrics.forbidden");
  const parsed = DashboardQuerySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const range = resolveRange(parsed.data, today);
  if (!range.ok) return invalid(range.fieldErrors);
  let category: { id: number; slug: string; name: string } | null = null;
  if (parsed.data.category) {
    category = await prisma.category.findUnique({ where: { slug: parsed.data.category }, select: { id: true, slug: true, name: true } });
    if (!category) return invalid({ category: ["messages.common.unknownCategory"] });
  }
  return ok({ ...range.value, categoryId: category?.id ?? null, categorySlug: category?.slug ?? null, categoryName: category?.name ?? null });
}

function inCategory(column: string, scope: Scope): Prisma.Sql {
  return scope.categoryId === null ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(column)} = ${scope.categoryId}`;
}

/** Sums of every rollup metric over the range and over the previous period. */
async function rollupTotals(scope: Scope) {
  const rows = await prisma.$queryRaw<{ metric: string; current: bigint | null; previous: bigint | null }[]>`
    SELECT metric, sum(value) FILTER (WHERE day >= ${scope.from}::date) AS current, sum(value) FILTER (WHERE day < ${scope.from}::date) AS previous
    FROM daily_rollups WHERE day BETWEEN ${scope.previousFrom}::date AND ${scope.to}::date ${inCategory("category_id", scope)}
    GROUP BY metric`;
  const current: Record<string, number> = {};
  const previous: Record<string, number> = {};
  for (const r of rows) {
    current[r.metric] = n(r.current);
    previous[r.metric] = n(r.previous);
  }
  return { current, previous };
}

type Percentiles = { ttfaMedian: number | null; ttfaP90: number | null; ttrMedian: number | null; ttrP90: number | null };

/**
 * Median and 90th percentile (percentile_cont) of seconds to first answer and to resolution, by
 * period. One pass and four sorts: both fractions of one series come from one sort (the array form),
 * and the periods are filters rather than groups (grouping sorted all 216,000 rows of 180 days at scale 5
 * once more, on disk).
 */
async function percentiles(scope: Scope): Promise<{ current: Percentiles; previous: Percentiles }> {
  const from = start(scope.from);
  const ttfa = Prisma.sql`extract(epoch FROM first_answer_at - asked_at)`;
  const ttr = Prisma.sql`extract(epoch FROM resolved_at - asked_at)`;
  const [row] = await prisma.$queryRaw<{ c1: number[] | null; c2: number[] | null; p1: number[] | null; p2: number[] | null }[]>`
    SELECT
      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${ttfa}) FILTER (WHERE first_answer_at IS NOT NULL AND asked_at >= ${from}) AS c1,
      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${ttr}) FILTER (WHERE resolved_at IS NOT NULL AND asked_at >= ${from}) AS c2,
      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${ttfa}) FILTER (WHERE first_answer_at IS NOT NULL AND asked_at < ${from}) AS p1,
      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${ttr}) FILTER (WHERE resolved_at IS NOT NULL AND asked_at < ${from}) AS p2
    FROM question_stats
    WHERE NOT excluded AND asked_at >= ${start(scope.previousFrom)} AND asked_at < ${end(scope.to)} ${inCategory("category_id", scope)}`;
  const pick = (a: number[] | null | undefined, b: number[] | null | undefined): Percentiles => ({
    ttfaMedian: nOrNull(a?.[0]),
    ttfaP90: nOrNull(a?.[1]),
    ttrMedian: nOrNull(b?.[0]),
    ttrP90: nOrNull(b?.[1]),
  });
  return { current: pick(row?.c1, row?.c2), previous: pick(row?.p1, row?.p2) };
}

/** Feedback given or changed in the range (article_feedback.updated_at), per article. */
async function feedbackByArticle(scope: Scope, from: string, to: string) {
  return prisma.$queryRaw<{ id: bigint; title: string; slug: string; yes: bigint; no: bigint }[]>`
    SELECT a.id, a.title, a.slug, count(*) FILTER (WHERE f.helpful) AS yes, count(*) FILTER (WHERE NOT f.helpful) AS no
    FROM article_feedback f JOIN articles a ON a.id = f.article_id
    WHERE f.updated_at >= ${start(from)} AND f.updated_at < ${end(to)} ${inCategory("a.category_id", scope)}
    GROUP BY a.id, a.title, a.slug`;
}

export type SeriesPoint = {
  bucket: string;
  asked: number;
  resolutions: number;
  searchSessions: number;
  deflectedSessions: number;
  deflection: number | null;
  ttfaMedianHours: number | null;
};

/** The chart series per day (or per ISO week for long ranges), every bucket present even when empty. */
export async function series(scope: Scope): Promise<SeriesPoint[]> {
  const unit = Prisma.raw(scope.bucket === "week" ? "'week'" : "'day'");
  const [totals, medians] = await Promise.all([
    prisma.$queryRaw<{ bucket: string; asked: bigint; resolutions: bigint; sessions: bigint; deflected: bigint }[]>`
      SELECT b.bucket::date::text AS bucket,
        COALESCE(sum(r.value) FILTER (WHERE r.metric = 'asked'), 0) AS asked,
        COALESCE(sum(r.value) FILTER (WHERE r.metric = 'resolutions'), 0) AS resolutions,
        COALESCE(sum(r.value) FILTER (WHERE r.metric = 'search_sessions'), 0) AS sessions,
        COALESCE(sum(r.value) FILTER (WHERE r.metric = 'deflected_sessions'), 0) AS deflected
      FROM generate_series(date_trunc(${unit}, ${scope.from}::date), ${scope.to}::date, ${`1 ${scope.bucket}`}::interval) AS b(bucket)
      LEFT JOIN daily_rollups r ON date_trunc(${unit}, r.day) = b.bucket AND r.day BETWEEN ${scope.from}::date AND ${scope.to}::date
        AND r.metric IN ('asked', 'resolutions', 'search_sessions', 'deflected_sessions') ${inCategory("r.category_id", scope)}
      GROUP BY b.bucket ORDER BY b.bucket`,
    prisma.$queryRaw<{ bucket: string; median: number | null }[]>`
      SELECT date_trunc(${unit}, (asked_at AT TIME ZONE 'UTC')::date)::date::text AS bucket,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_answer_at - asked_at)) AS median
      FROM question_stats
      WHERE NOT excluded AND first_answer_at IS NOT NULL AND asked_at >= ${start(scope.from)} AND asked_at < ${end(scope.to)} ${inCategory("category_id", scope)}
      GROUP BY 1`,
  ]);
  const medianOf = new Map(medians.map((m) => [m.bucket, nOrNull(m.median)]));
  return totals.map((t) => {
    const median = medianOf.get(t.bucket) ?? null;
    return {
      bucket: t.bucket,
      asked: n(t.asked),
      resolutions: n(t.resolutions),
      searchSessions: n(t.sessions),
      deflectedSessions: n(t.deflected),
      deflection: ratio(n(t.deflected), n(t.sessions)),
      ttfaMedianHours: median === null ? null : Math.round((median / 3600) * 10) / 10,
    };
  });
}

export type UnansweredItem = { id: string; title: string; slug: string; askedAt: string; category: string };

/** Questions asked in the range that are still open with no answer, oldest first. */
export async function unansweredQueue(scope: Scope, limit: number | null, after: { askedAt: string; id: string } | null = null): Promise<UnansweredItem[]> {
  const rows = await prisma.$queryRaw<{ id: bigint; title: string; slug: string; asked_at: Date; category: string }[]>`
    SELECT t.id, t.title, t.slug, q.asked_at, c.name AS category
    FROM question_stats q JOIN threads t ON t.id = q.thread_id JOIN categories c ON c.id = t.category_id
    WHERE NOT q.excluded AND q.first_answer_at IS NULL
      AND q.asked_at >= ${start(scope.from)} AND q.asked_at < ${end(scope.to)} ${inCategory("q.category_id", scope)}
      ${after ? Prisma.sql`AND (q.asked_at, q.thread_id) > (${after.askedAt}::timestamptz, ${BigInt(after.id)})` : Prisma.empty}
    ORDER BY q.asked_at, q.thread_id
    ${limit ? Prisma.sql`LIMIT ${limit}` : Prisma.empty}`;
  return rows.map((r) => ({ id: r.id.toString(), title: r.title, slug: r.slug, askedAt: r.asked_at.toISOString(), category: r.category }));
}

export type ArticleHelpfulness = { id: string; title: string; slug: string; yes: number; no: number; votes: number; yesShare: number };

export async function articleHelpfulness(scope: Scope): Promise<ArticleHelpfulness[]> {
  const rows = await feedbackByArticle(scope, scope.from, scope.to);
  return rows
    .map((r) => ({ id: r.id.toString(), title: r.title, slug: r.slug, yes: n(r.yes), no: n(r.no), votes: n(r.yes) + n(r.no), yesShare: n(r.yes) / (n(r.yes) + n(r.no)) }))
    .sort((a, b) => b.votes - a.votes || a.yesShare - b.yesShare || a.title.localeCompare(b.title));
}

export type ZeroResultQuery = { query: string; count: number };

/** Zero-result searches grouped by their lower-cased, trimmed text, most frequent first. */
export async function zeroResultQueries(scope: Scope, limit: number | null): Promise<ZeroResultQuery[]> {
  const rows = await prisma.$queryRaw<{ query: string; count: bigint }[]>`
    SELECT lower(btrim(query)) AS query, count(*) AS count FROM search_queries
    WHERE result_count = 0 AND created_at >= ${start(scope.from)} AND created_at < ${end(scope.to)} ${inCategory("category_id", scope)}
    GROUP BY 1 ORDER BY 2 DESC, 1
    ${limit ? Prisma.sql`LIMIT ${limit}` : Prisma.empty}`;
  return rows.map((r) => ({ query: r.query, count: n(r.count) }));
}

export type RecurringTopic = { label: string; threadCount: number; views: number; threadIds: string[] };

/** Topics of the newest recurring-topics report (of this category, or of all) that have no article. */
export async function recurringTopics(scope: Scope): Promise<{ computedAt: string | null; topics: RecurringTopic[] }> {
  const report = await prisma.recurringTopicReport.findFirst({
    where: { categoryId: scope.categoryId },
    orderBy: [{ computedAt: "desc" }, { id: "desc" }],
    select: { computedAt: true, topics: true },
  });
  if (!report || !Array.isArray(report.topics)) return { computedAt: report?.computedAt.toISOString() ?? null, topics: [] };
  const topics = (report.topics as Record<string, unknown>[])
    .filter((t) => t && (t.articleId === null || t.articleId === undefined))
    .map((t) => ({
      label: String(t.label ?? ""),
      threadCount: n(t.threadCount),
      views: n(t.views),
      // The recurring-topics job stores the topic's threads (StoredTopic.threads); older reports had threadIds.
      threadIds: Array.isArray(t.threads) ? (t.threads as { id?: unknown }[]).map((x) => String(x?.id ?? "")).filter(Boolean) : Array.isArray(t.threadIds) ? t.threadIds.map(String) : [],
    }));
  return { computedAt: report.computedAt.toISOString(), topics };
}

export type Expert = { handle: string; displayName: string; expertIn: { slug: string; name: string }[]; acceptedAnswers: number; reputation: number };

type ExpertRow = { handle: string; display_name: string; expert_category_ids: number[]; accepted: bigint; points: bigint };

/**
 * Members by accepted answers (net of reversals) and reputation earned in the range. A reversal
 * ("undo:<id>") cancels the entry it points to: it counts against accepted answers when that entry
 * was an acceptance.
 *
 * With a limit (the dashboard's top 10), only members who can be in it are summed (ADR 077): the
 * accepted answers of the range come from the ledger's small acceptances index, the limit-th highest
 * count is the bar, and only members at or above it get their points summed (by their own index).
 * The order is accepted answers first, so nobody below the bar can be in the list. When fewer members
 * than the limit have an accepted answer, the rest of the list is ordered by points alone, which
 * needs every member's sum: the whole range is read, as it is for the CSV (no limit).
 */
export async function topExperts(scope: Scope, limit: number | null): Promise<Expert[]> {
  const range = Prisma.sql`e.created_at >= ${start(scope.from)} AND e.created_at < ${end(scope.to)} ${inCategory("e.category_id", scope)}`;
  let rows: ExpertRow[] = [];
  if (limit) {
    rows = await prisma.$queryRaw<ExpertRow[]>`
      WITH acc AS (
        SELECT e.user_id, count(*) FILTER (WHERE e.reverses_id IS NULL) - count(*) FILTER (WHERE o.reason = 'answer_accepted') AS accepted
        FROM reputation_entries e LEFT JOIN reputation_entries o ON o.id = e.reverses_id
        WHERE (e.reason = 'answer_accepted' OR e.reverses_id IS NOT NULL) AND ${range}
        GROUP BY e.user_id
      ), bar AS (
        SELECT accepted FROM acc WHERE accepted > 0 ORDER BY accepted DESC OFFSET ${limit - 1} LIMIT 1
      )
      SELECT u.handle, u.display_name, u.expert_category_ids, c.accepted, p.points
      FROM acc c JOIN users u ON u.id = c.user_id
      CROSS JOIN LATERAL (SELECT sum(e.points) AS points FROM reputation_entries e WHERE e.user_id = c.user_id AND ${range}) AS p
      WHERE c.accepted >= (SELECT accepted FROM bar)
      ORDER BY c.accepted DESC, p.points DESC, u.handle
      LIMIT ${limit}`;
  }
  if (rows.length < (limit ?? Infinity)) {
    rows = await prisma.$queryRaw<ExpertRow[]>`
      SELECT u.handle, u.display_name, u.expert_category_ids, x.accepted, x.points FROM (
        SELECT e.user_id,
          count(*) FILTER (WHERE e.reason = 'answer_accepted' AND e.reverses_id IS NULL) - count(*) FILTER (WHERE e.reverses_id IS NOT NULL AND o.reason = 'answer_accepted') AS accepted,
          sum(e.points) AS points
        FROM reputation_entries e LEFT JOIN reputation_entries o ON o.id = e.reverses_id
        WHERE ${range}
        GROUP BY e.user_id
      ) x JOIN users u ON u.id = x.user_id
      WHERE x.accepted > 0 OR x.points > 0
      ORDER BY x.accepted DESC, x.points DESC, u.handle
      ${limit ? Prisma.sql`LIMIT ${limit}` : Prisma.empty}`;
  }
  const categories = await categoryMap(rows.map((r) => r.expert_category_ids));
  return rows.map((r) => ({ handle: r.handle, displayName: r.display_name, expertIn: expertIn(r.expert_category_ids, categories), acceptedAnswers: n(r.accepted), reputation: n(r.points) }));
}

export type Dashboard = {
  scope: Scope;
  figures: Figure[];
  series: SeriesPoint[];
  unanswered: { total: number; items: UnansweredItem[] };
  articles: { all: ArticleHelpfulness[]; worst: ArticleHelpfulness[] };
  zeroResults: ZeroResultQuery[];
  topics: { computedAt: string | null; topics: RecurringTopic[] };
  experts: Expert[];
  /** The escalation figures (issue 20): tickets, verified resolutions, deflection per journey. */
  support: SupportMetrics;
};

/** Every figure, series and table of the dashboard for one scope. */
export async function getDashboard(scope: Scope): Promise<Dashboard> {
  const [totals, pct, points, unanswered, articles, previousFeedback, zeroResults, topics, experts, support] = await Promise.all([
    rollupTotals(scope),
    percentiles(scope),
    series(scope),
    unansweredQueue(scope, 20),
    articleHelpfulness(scope),
    feedbackByArticle(scope, scope.previousFrom, scope.previousTo),
    zeroResultQueries(scope, 20),
    recurringTopics(scope),
    topExperts(scope, 10),
    supportMetrics(rangeOfScope(scope)),
  ]);
  const c = totals.current;
  const p = totals.previous;
  const yes = articles.reduce((s, a) => s + a.yes, 0);
  const votes = articles.reduce((s, a) => s + a.votes, 0);
  const prevYes = previousFeedback.reduce((s, a) => s + n(a.yes), 0);
  const prevVotes = previousFeedback.reduce((s, a) => s + n(a.yes) + n(a.no), 0);
  const get = (o: Record<string, number>, k: string) => o[k] ?? 0;
  const figure = (key: string, kind: FigureKind, value: number | null, previous: number | null): Figure => ({ key, kind, value, previous });
  const figures: Figure[] = [
    figure("asked", "count", get(c, "asked"), get(p, "asked")),
    figure("answeredRate", "rate", ratio(get(c, "answered"), get(c, "asked")), ratio(get(p, "answered"), get(p, "asked"))),
    figure("resolvedRate", "rate", ratio(get(c, "resolved"), get(c, "asked")), ratio(get(p, "resolved"), get(p, "asked"))),
    figure("ttfaMedian", "duration", pct.current.ttfaMedian, pct.previous.ttfaMedian),
    figure("ttfaP90", "duration", pct.current.ttfaP90, pct.previous.ttfaP90),
    figure("ttrMedian", "duration", pct.current.ttrMedian, pct.previous.ttrMedian),
    figure("ttrP90", "duration", pct.current.ttrP90, pct.previous.ttrP90),
    figure("reopenRate", "rate", ratio(get(c, "reopens"), get(c, "acceptances")), ratio(get(p, "reopens"), get(p, "acceptances"))),
    figure("unanswered", "count", get(c, "asked") - get(c, "answered"), get(p, "asked") - get(p, "answered")),
    figure("resolvedThreadViews", "count", get(c, "resolved_thread_views"), get(p, "resolved_thread_views")),
    figure("articleViews", "count", get(c, "article_views"), get(p, "article_views")),
    figure("deflection", "rate", ratio(get(c, "deflected_sessions"), get(c, "search_sessions")), ratio(get(p, "deflected_sessions"), get(p, "search_sessions"))),
    figure("helpfulness", "rate", ratio(yes, votes), ratio(prevYes, prevVotes)),
    figure("feedbackVotes", "count", votes, prevVotes),
    figure("searches", "count", get(c, "searches"), get(p, "searches")),
    figure("zeroResultSearches", "count", get(c, "zero_result_searches"), get(p, "zero_result_searches")),
  ];
  const worst = [...articles].sort((a, b) => a.yesShare - b.yesShare || b.votes - a.votes).slice(0, 5);
  return {
    scope,
    figures,
    series: points,
    unanswered: { total: get(c, "asked") - get(c, "answered"), items: unanswered },
    articles: { all: articles.slice(0, 10), worst },
    zeroResults,
    topics,
    experts,
    support,
  };
}

export type { Preset };

/**
 * Computed dashboards are kept for CACHE_SECONDS per scope (range, category) in this process, and
 * identical requests in flight share one computation: a support leader reloading the page, or ten
 * staff opening the same default view, cost the database once. Figures are therefore at most this
 * old (ADR 023); the exports always read fresh.
 */
export const CACHE_SECONDS = 30;
const CACHE_MAX_ENTRIES = 100;
const cache = new Map<string, { expires: number; value: Promise<Dashboard> }>();
// A rollup rebuild on any server or CLI run shows at once everywhere (ADR 060); handled events within CACHE_SECONDS.
onCacheChange("dashboard", () => cache.clear());

export function getDashboardCached(scope: Scope, now = Date.now()): Promise<Dashboard> {
  const key = JSON.stringify(scope);
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit.value;
  for (const [k, entry] of cache) if (entry.expires <= now || cache.size >= CACHE_MAX_ENTRIES) cache.delete(k);
  const value = getDashboard(scope);
  cache.set(key, { expires: now + CACHE_SECONDS * 1000, value });
  value.catch(() => cache.delete(key));
  return value;
}

export type DashboardPage = {
  categories: { slug: string; name: string }[];
  dashboard: Dashboard | null;
  fieldErrors: Record<string, string[]>;
};

/**
 * What /dashboard shows for a query string: the figures, or (bad range, unknown category) the field
 * errors to show beside the form. Only staff and admins (forbidden otherwise).
 */
export async function getDashboardPage(actor: Actor | null, input: Record<string, string | undefined>, today = todayUtc()): Promise<Result<DashboardPage>> {
  const scope = await resolveScope(actor, input, today);
  if (!scope.ok && scope.kind !== "invalid") return scope;
  // Every category in its admin order, from the per-process category cache (ADR 060), not a query per request.
  const categories = [...(await categoryMap()).values()].map((c) => ({ slug: c.slug, name: c.name }));
  if (!scope.ok) return ok({ categories, dashboard: null, fieldErrors: scope.kind === "invalid" ? scope.fieldErrors : {} });
  return ok({ categories, dashboard: await getDashboardCached(scope.value), fieldErrors: {} });
}
