import { prisma } from "~/utils/db.server.ts";
import { VERIFY_WINDOW_DAYS } from "./verify-resolution.server.ts";

/**
 * The escalation metrics of the dashboard (issue 20), each one SQL statement with positional
 * parameters: $1 the start of the range (timestamptz), $2 the start of the day after it, $3 the
 * category id or NULL for "all" (and $4 "now" where the rule depends on it). docs/metrics.md prints
 * these exact strings, and support-metrics.server.test.ts checks both on a fixed dataset.
 * A ticket's category is its thread's or article's; tickets from search or the ask page count only under "all".
 */

/** Tickets opened in the range, questions asked in the range. */
export const ESCALATION_RATE_SQL = `
WITH tk AS (
  SELECT s.id, COALESCE(t.category_id, a.category_id) AS category_id
  FROM support_tickets s LEFT JOIN threads t ON t.id = s.thread_id LEFT JOIN articles a ON a.id = s.article_id
  WHERE s.created_at >= $1 AND s.created_at < $2
)
SELECT (SELECT count(*) FROM tk WHERE $3::int IS NULL OR tk.category_id = $3)::int AS tickets,
       (SELECT count(*) FROM threads WHERE hidden_at IS NULL AND deleted_at IS NULL AND created_at >= $1 AND created_at < $2
          AND ($3::int IS NULL OR category_id = $3))::int AS questions`;

/** Tickets opened in the range by source and outcome (unsolved ones under "none"). */
export const TICKETS_BY_SOURCE_SQL = `
SELECT s.source, COALESCE(s.outcome, 'none') AS outcome, count(*)::int AS tickets
FROM support_tickets s LEFT JOIN threads t ON t.id = s.thread_id LEFT JOIN articles a ON a.id = s.article_id
WHERE s.created_at >= $1 AND s.created_at < $2 AND ($3::int IS NULL OR COALESCE(t.category_id, a.category_id) = $3)
GROUP BY 1, 2 ORDER BY 1, 2`;

/** Staff first response and resolution times (seconds from the ticket's creation) of tickets opened in the range. */
export const TICKET_TIMES_SQL = `
SELECT count(*)::int AS tickets,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.first_response_at - s.created_at)) AS first_response_median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM s.first_response_at - s.created_at)) AS first_response_p90,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.resolved_at - s.created_at)) AS resolution_median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM s.resolved_at - s.created_at)) AS resolution_p90
FROM support_tickets s LEFT JOIN threads t ON t.id = s.thread_id LEFT JOIN articles a ON a.id = s.article_id
WHERE s.created_at >= $1 AND s.created_at < $2 AND ($3::int IS NULL OR COALESCE(t.category_id, a.category_id) = $3)`;

/**
 * Verified resolution rate: of the questions whose current acceptance is in the range and is decided
 * (the asker answered, or its 14 days are over), the share that counts as verified: the asker said
 * yes, or said nothing and opened no ticket on the thread within 14 days of the acceptance.
 */
export const VERIFIED_RESOLUTION_SQL = `
WITH r AS (
  SELECT t.id, t.author_id, t.resolved_at, f.verdict
  FROM threads t LEFT JOIN thread_followups f ON f.thread_id = t.id
  WHERE t.hidden_at IS NULL AND t.deleted_at IS NULL AND t.resolved_at >= $1 AND t.resolved_at < $2
    AND ($3::int IS NULL OR t.category_id = $3)
    AND (f.verdict IS NOT NULL OR t.resolved_at <= $4::timestamptz - interval '${VERIFY_WINDOW_DAYS} days')
)
SELECT count(*)::int AS decided,
  count(*) FILTER (WHERE verdict = 'yes' OR (verdict IS NULL AND NOT EXISTS (
    SELECT 1 FROM support_tickets s WHERE s.thread_id = r.id AND s.customer_id = r.author_id
      AND s.created_at >= r.resolved_at AND s.created_at < r.resolved_at + interval '${VERIFY_WINDOW_DAYS} days')))::int AS verified
FROM r`;

/**
 * Deflection per journey, the daily cells (ADR 077): a journey is one visitor's run of searches,
 * thread views and article views with gaps under 30 minutes; its day is the UTC day of its first step,
 * its category that step's (searches without one: 0), its end its last step but at most 24 hours after
 * its start. It is deflected when neither the visitor (a member's key, or an anonymous key tied to a
 * member by signing in) asked a question nor opened a ticket from its start to 24 hours after its end.
 * $1 and $2 bound the starts; the steps read reach 30 minutes before $1 (is a step the first of its
 * journey?) and 24 hours after $2 (how long is it?), so a day's cells come out the same whether computed
 * alone or in a longer range, and are final three days after the day (48 hours after the last start).
 * The `journey-rollups` job keeps the cells of the last four days in daily_rollups ('journeys',
 * 'deflected_journeys'); the dashboard sums them (JOURNEY_DEFLECTION_SQL).
 */
export const JOURNEY_CELLS_SQL = `
WITH acts AS (
  SELECT visitor_key, created_at AS at, COALESCE(category_id, 0) AS category_id FROM search_queries
  WHERE visitor_key IS NOT NULL AND created_at >= $1::timestamptz - interval '30 minutes' AND created_at < $2::timestamptz + interval '24 hours'
  UNION ALL
  SELECT v.visitor_key, v.viewed_at, t.category_id FROM thread_views v JOIN threads t ON t.id = v.thread_id
  WHERE v.viewed_at >= $1::timestamptz - interval '30 minutes' AND v.viewed_at < $2::timestamptz + interval '24 hours'
  UNION ALL
  SELECT v.visitor_key, v.viewed_at, a.category_id FROM article_views v JOIN articles a ON a.id = v.article_id
  WHERE v.viewed_at >= $1::timestamptz - interval '30 minutes' AND v.viewed_at < $2::timestamptz + interval '24 hours'
), marked AS (
  SELECT visitor_key, at, category_id,
    CASE WHEN at - lag(at) OVER (PARTITION BY visitor_key ORDER BY at) < interval '30 minutes' THEN 0 ELSE 1 END AS starts
  FROM acts
), numbered AS (
  SELECT *, sum(starts) OVER (PARTITION BY visitor_key ORDER BY at ROWS UNBOUNDED PRECEDING) AS run FROM marked
), journeys AS (
  SELECT visitor_key, run, min(at) AS started, least(max(at), min(at) + interval '24 hours') AS ended,
    (array_agg(category_id ORDER BY at))[1] AS category_id
  FROM numbered GROUP BY visitor_key, run
  HAVING min(at) >= $1::timestamptz AND min(at) < $2::timestamptz
), people AS (
  SELECT j.visitor_key, j.run, j.started, j.ended, j.category_id, p.user_id
  FROM journeys j LEFT JOIN LATERAL (
    SELECT substr(j.visitor_key, 3) AS user_id WHERE j.visitor_key LIKE 'u:%'
    UNION ALL SELECT l.user_id FROM visitor_links l WHERE j.visitor_key LIKE 'a:%' AND l.visitor_id = substr(j.visitor_key, 3)
  ) p ON true
), outcome AS (
  SELECT visitor_key, run, started, category_id, bool_or(
    EXISTS (SELECT 1 FROM threads q WHERE q.author_id = people.user_id AND q.created_at >= people.started AND q.created_at < people.ended + interval '24 hours')
    OR EXISTS (SELECT 1 FROM support_tickets s WHERE s.customer_id = people.user_id AND s.created_at >= people.started AND s.created_at < people.ended + interval '24 hours')
  ) AS asked
  FROM people GROUP BY visitor_key, run, started, category_id
)
SELECT (started AT TIME ZONE 'UTC')::date AS day, category_id, count(*)::int AS journeys,
  (count(*) FILTER (WHERE NOT COALESCE(asked, false)))::int AS deflected
FROM outcome GROUP BY 1, 2`;

/** Journeys starting in the range and how many were deflected: the sum of the daily cells above. */
export const JOURNEY_DEFLECTION_SQL = `
SELECT COALESCE(sum(value) FILTER (WHERE metric = 'journeys'), 0)::int AS journeys,
  COALESCE(sum(value) FILTER (WHERE metric = 'deflected_journeys'), 0)::int AS deflected
FROM daily_rollups
WHERE metric IN ('journeys', 'deflected_journeys') AND day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND day < ($2::timestamptz AT TIME ZONE 'UTC')::date
  AND ($3::int IS NULL OR category_id = $3)`;

export type SupportMetrics = {
  tickets: number;
  questions: number;
  escalationRate: number | null;
  bySource: { source: string; outcome: string; tickets: number }[];
  firstResponse: { median: number | null; p90: number | null };
  resolution: { median: number | null; p90: number | null };
  verified: { decided: number; verified: number; rate: number | null };
  deflection: { journeys: number; deflected: number; rate: number | null };
};

type Range = { lo: Date; hi: Date; categoryId: number | null; now?: Date };
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Every escalation figure of one dashboard scope (five statements, run together). */
export async function supportMetrics({ lo, hi, categoryId, now = new Date() }: Range): Promise<SupportMetrics> {
  const [[rate], bySource, [times], [verified], [deflection]] = await Promise.all([
    prisma.$queryRawUnsafe<{ tickets: number; questions: number }[]>(ESCALATION_RATE_SQL, lo, hi, categoryId),
    prisma.$queryRawUnsafe<{ source: string; outcome: string; tickets: number }[]>(TICKETS_BY_SOURCE_SQL, lo, hi, categoryId),
    prisma.$queryRawUnsafe<Record<string, unknown>[]>(TICKET_TIMES_SQL, lo, hi, categoryId),
    prisma.$queryRawUnsafe<{ decided: number; verified: number }[]>(VERIFIED_RESOLUTION_SQL, lo, hi, categoryId, now),
    prisma.$queryRawUnsafe<{ journeys: number; deflected: number }[]>(JOURNEY_DEFLECTION_SQL, lo, hi, categoryId),
  ]);
  return {
    tickets: rate!.tickets,
    questions: rate!.questions,
    escalationRate: ratio(rate!.tickets, rate!.questions),
    bySource,
    firstResponse: { median: num(times!.first_response_median), p90: num(times!.first_response_p90) },
    resolution: { median: num(times!.resolution_median), p90: num(times!.resolution_p90) },
    verified: { ...verified!, rate: ratio(verified!.verified, verified!.decided) },
    deflection: { ...deflection!, rate: ratio(deflection!.deflected, deflection!.journeys) },
  };
}

export const SUPPORT_EXPORTS = ["escalation-rate", "tickets-by-source", "ticket-times", "verified-resolution", "journey-deflection"] as const;
export type SupportExport = (typeof SUPPORT_EXPORTS)[number];

export const SUPPORT_CSV_HEADERS: Record<SupportExport, string[]> = {
  "escalation-rate": ["tickets", "questions", "escalation_rate"],
  "tickets-by-source": ["source", "outcome", "tickets"],
  "ticket-times": ["first_response_median_seconds", "first_response_p90_seconds", "resolution_median_seconds", "resolution_p90_seconds"],
  "verified-resolution": ["decided_resolutions", "verified", "verified_rate"],
  "journey-deflection": ["journeys", "deflected", "deflection_rate"],
};

/** The rows of one escalation figure's CSV (columns as SUPPORT_CSV_HEADERS), for the dashboard's CSV links. */
export async function supportMetricRows(name: SupportExport, range: Range): Promise<(string | number | null)[][]> {
  const m = await supportMetrics(range);
  switch (name) {
    case "escalation-rate":
      return [[m.tickets, m.questions, m.escalationRate]];
    case "tickets-by-source":
      return m.bySource.map((r) => [r.source, r.outcome, r.tickets]);
    case "ticket-times":
      return [[m.firstResponse.median, m.firstResponse.p90, m.resolution.median, m.resolution.p90]];
    case "verified-resolution":
      return [[m.verified.decided, m.verified.verified, m.verified.rate]];
    case "journey-deflection":
      return [[m.deflection.journeys, m.deflection.deflected, m.deflection.rate]];
  }
}

/** The instants of a dashboard scope (UTC days, both included). */
export function rangeOfScope(scope: { from: string; to: string; categoryId: number | null }): Range {
  const hi = new Date(`${scope.to}T00:00:00Z`);
  hi.setUTCDate(hi.getUTCDate() + 1);
  return { lo: new Date(`${scope.from}T00:00:00Z`), hi, categoryId: scope.categoryId };
}
