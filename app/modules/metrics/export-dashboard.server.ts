import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { getEnv } from "~/utils/env.server.ts";
import type { CsvCell } from "./csv.server.ts";
import { articleHelpfulness, recurringTopics, topExperts, unansweredQueue, zeroResultQueries, type Scope } from "./dashboard-queries.server.ts";
import type { ExportName } from "./metrics.schema.ts";
import { shiftDay } from "./metrics.schema.ts";
import { METRIC_GROUPS } from "./rollups.server.ts";
import { rangeOfScope, SUPPORT_CSV_HEADERS, supportMetricRows } from "~/modules/support/support-metrics.server.ts";

export type CsvExport = { filename: string; header: string[]; rows: AsyncIterable<CsvCell[]> };

const DAILY_METRICS = Object.values(METRIC_GROUPS).flat();
const CHUNK_DAYS = 31;
const PAGE = 500;

/** The daily series, read a month at a time: one row per UTC day, every rollup metric and the day's medians. */
async function* dailyRows(scope: Scope): AsyncGenerator<CsvCell[]> {
  const category = scope.categorySlug ?? "all";
  const inCategory = (column: string) => (scope.categoryId === null ? Prisma.empty : Prisma.sql`AND ${Prisma.raw(column)} = ${scope.categoryId}`);
  for (let from = scope.from; from <= scope.to; from = shiftDay(from, CHUNK_DAYS)) {
    const last = shiftDay(from, CHUNK_DAYS - 1);
    const to = last < scope.to ? last : scope.to;
    const [cells, medians] = await Promise.all([
      prisma.$queryRaw<{ day: string; metric: string; value: bigint }[]>`
        SELECT day::text AS day, metric, sum(value) AS value FROM daily_rollups
        WHERE day BETWEEN ${from}::date AND ${to}::date ${inCategory("category_id")} GROUP BY 1, 2`,
      prisma.$queryRaw<{ day: string; ttfa: number | null; ttr: number | null }[]>`
        SELECT (asked_at AT TIME ZONE 'UTC')::date::text AS day,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_answer_at - asked_at)) FILTER (WHERE first_answer_at IS NOT NULL) AS ttfa,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - asked_at)) FILTER (WHERE resolved_at IS NOT NULL) AS ttr
        FROM question_stats
        WHERE NOT excluded AND asked_at >= ${`${from}T00:00:00Z`}::timestamptz AND asked_at < ${`${shiftDay(to, 1)}T00:00:00Z`}::timestamptz ${inCategory("category_id")}
        GROUP BY 1`,
    ]);
    const values = new Map(cells.map((c) => [`${c.day} ${c.metric}`, Number(c.value)]));
    const medianOf = new Map(medians.map((m) => [m.day, m]));
    for (let day = from; day <= to; day = shiftDay(day, 1)) {
      const m = medianOf.get(day);
      yield [day, category, ...DAILY_METRICS.map((metric) => values.get(`${day} ${metric}`) ?? 0), m?.ttfa == null ? null : Number(m.ttfa), m?.ttr == null ? null : Number(m.ttr)];
    }
  }
}

/** The site's address for links in files that leave it (APP_URL, never the request's Host header). */
function siteUrl(): string {
  return (getEnv().APP_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

async function* unansweredRows(scope: Scope): AsyncGenerator<CsvCell[]> {
  const site = siteUrl();
  let after: { askedAt: string; id: string } | null = null;
  for (;;) {
    const page = await unansweredQueue(scope, PAGE, after);
    // An absolute URL: a spreadsheet cell with a path alone opens nothing.
    for (const q of page) yield [q.id, q.title, q.category, q.askedAt, `${site}/questions/${q.id}/${encodeURIComponent(q.slug)}`];
    if (page.length < PAGE) return;
    after = { askedAt: page.at(-1)!.askedAt, id: page.at(-1)!.id };
  }
}

async function* fromPromise(rows: Promise<CsvCell[][]>): AsyncGenerator<CsvCell[]> {
  yield* await rows;
}

/** One table of the dashboard as CSV rows, for the scope the page shows (ISO dates, seconds, shares 0–1). */
export function dashboardExport(scope: Scope, name: ExportName): CsvExport {
  const filename = `threadwise-${name}-${scope.from}-to-${scope.to}${scope.categorySlug ? `-${scope.categorySlug}` : ""}.csv`;
  switch (name) {
    case "daily":
      return { filename, header: ["date", "category", ...DAILY_METRICS, "median_seconds_to_first_answer", "median_seconds_to_resolution"], rows: dailyRows(scope) };
    case "unanswered":
      return { filename, header: ["thread_id", "title", "category", "asked_at", "url"], rows: unansweredRows(scope) };
    case "zero-results":
      return { filename, header: ["query", "searches"], rows: fromPromise(zeroResultQueries(scope, null).then((rows) => rows.map((r) => [r.query, r.count]))) };
    case "articles":
      return {
        filename,
        header: ["article_id", "title", "helpful_yes", "helpful_no", "votes", "yes_share"],
        rows: fromPromise(articleHelpfulness(scope).then((rows) => rows.map((a) => [a.id, a.title, a.yes, a.no, a.votes, a.yesShare]))),
      };
    case "experts":
      return {
        filename,
        header: ["handle", "display_name", "accepted_answers", "reputation_earned"],
        rows: fromPromise(topExperts(scope, null).then((rows) => rows.map((e) => [e.handle, e.displayName, e.acceptedAnswers, e.reputation]))),
      };
    case "topics":
      return {
        filename,
        header: ["topic", "threads", "views", "thread_ids", "report_computed_at"],
        rows: fromPromise(recurringTopics(scope).then((r) => r.topics.map((t) => [t.label, t.threadCount, t.views, t.threadIds.join(" "), r.computedAt]))),
      };
    case "escalation-rate":
    case "tickets-by-source":
    case "ticket-times":
    case "verified-resolution":
    case "journey-deflection":
      return { filename, header: SUPPORT_CSV_HEADERS[name], rows: fromPromise(supportMetricRows(name, rangeOfScope(scope))) };
  }
}
