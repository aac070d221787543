import { Prisma } from "~/generated/prisma/client.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";

/**
 * The customer's journey (issue 20, ADR 057): derived by one query from what is already logged, never
 * copied. Sources: search_queries (searches, result counts, the result opened), thread_views and
 * article_views (one row per visitor, page and UTC day), article_feedback ("Was this helpful?"),
 * domain_events of the member (questions asked, answers, comments, votes, acceptances, "Did this fix
 * it?") and support_tickets. A visitor is every key they used: `u:<member id>` and `a:<tw_vid>` of
 * each browser they signed in or up from (visitor_links, written by startSession) or asked for help
 * from (support_tickets.visitor_id). A journey (a "run") is activity with gaps under 30 minutes.
 *
 * Time on page of a thread or article view is what the browser reported for it (`visible_seconds`,
 * sent by the page's beacon when it was hidden or left: ADR 072). Where no report came (and for the
 * other steps) it is estimated: the time until the visitor's next step in the same run, at most 30
 * minutes, and null for the last step of a run. `secondsReported` tells the two apart.
 */

export const RUN_GAP_MINUTES = 30;
/** Kept for 90 days (app/modules/support/purge-journeys.server.ts), then forgotten. */
export const JOURNEY_RETENTION_DAYS = 90;
/** The window a ticket shows. */
export const TICKET_JOURNEY_DAYS = 7;
/** Enough for a week of heavy use; the page says when it was cut. */
export const JOURNEY_STEP_LIMIT = 1000;

export type JourneyStepKind =
  | "search"
  | "result_opened"
  | "thread_view"
  | "article_view"
  | "feedback"
  | "question.asked"
  | "answer.posted"
  | "comment.added"
  | "vote.cast"
  | "vote.withdrawn"
  | "answer.accepted"
  | "resolution.answered"
  | "ticket";

export type JourneyStep = {
  at: string;
  kind: JourneyStepKind;
  /** The search text, or the title of the thread or article. */
  label: string;
  /** Result count of a search. */
  count: number | null;
  /** Where it leads (thread, article, ticket), a site path. */
  href: string | null;
  /** The opened result ("thread:12"), the helpfulness answer ("yes"/"no"), the vote value ("1"/"-1"). */
  detail: string | null;
  /** Which journey (run) of the window it belongs to, from 1. */
  run: number;
  /** Time on page: the browser's report where one came, else the seconds until the next step of the same run (null for a run's last step). */
  seconds: number | null;
  /** True when `seconds` is the browser's report of a page view (ADR 072), false when it is the estimate. */
  secondsReported: boolean;
};

/** Every visitor key of a member: their own and each anonymous browser id tied to them. */
export async function visitorKeysOf(db: Tx | typeof prisma, userId: string, extraVisitorIds: (string | null)[] = []): Promise<string[]> {
  const rows = await db.$queryRaw<{ visitor_id: string }[]>`SELECT visitor_id FROM visitor_links WHERE user_id = ${userId}`;
  const anon = new Set([...rows.map((r) => r.visitor_id), ...extraVisitorIds.filter((v): v is string => !!v)]);
  return [`u:${userId}`, ...[...anon].map((v) => `a:${v}`)];
}

type Row = { at: Date; kind: JourneyStepKind; label: string | null; count: number | null; href: string | null; detail: string | null; run: number; seconds: number | null; reported: boolean };

/** The SQL of the steps of some visitor keys (and the member's events) between two instants, oldest first. */
function journeySql(keys: string[], userId: string | null, from: Date, to: Date, limit: number): Prisma.Sql {
  const gap = `${RUN_GAP_MINUTES} minutes`;
  return Prisma.sql`
    WITH steps AS (
      SELECT q.created_at AS at, 'search' AS kind, q.query AS label, q.result_count AS count, NULL::text AS href, q.opened_doc AS detail, NULL::int AS reported
      FROM search_queries q WHERE q.visitor_key = ANY(${keys}::text[]) AND q.created_at >= ${from} AND q.created_at < ${to}
      UNION ALL
      SELECT q.opened_at, 'result_opened', q.query, NULL, NULL, q.opened_doc, NULL
      FROM search_queries q WHERE q.visitor_key = ANY(${keys}::text[]) AND q.opened_at >= ${from} AND q.opened_at < ${to}
      UNION ALL
      SELECT v.viewed_at, 'thread_view', t.title, NULL, '/questions/' || t.id || '/' || t.slug, NULL, v.visible_seconds
      FROM thread_views v JOIN threads t ON t.id = v.thread_id WHERE v.visitor_key = ANY(${keys}::text[]) AND v.viewed_at >= ${from} AND v.viewed_at < ${to}
      UNION ALL
      SELECT v.viewed_at, 'article_view', a.title, NULL, '/kb/' || c.slug || '/' || a.slug, NULL, v.visible_seconds
      FROM article_views v JOIN articles a ON a.id = v.article_id JOIN categories c ON c.id = a.category_id
      WHERE v.visitor_key = ANY(${keys}::text[]) AND v.viewed_at >= ${from} AND v.viewed_at < ${to}
      UNION ALL
      SELECT f.updated_at, 'feedback', a.title, NULL, '/kb/' || c.slug || '/' || a.slug, CASE WHEN f.helpful THEN 'yes' ELSE 'no' END, NULL
      FROM article_feedback f JOIN articles a ON a.id = f.article_id JOIN categories c ON c.id = a.category_id
      WHERE f.visitor_key = ANY(${keys}::text[]) AND f.updated_at >= ${from} AND f.updated_at < ${to}
      UNION ALL
      SELECT e.occurred_at, e.type, t.title, NULL, CASE WHEN t.id IS NULL THEN NULL ELSE '/questions/' || t.id || '/' || t.slug END,
        COALESCE(e.payload->>'value', e.payload->>'verdict'), NULL
      FROM domain_events e
      LEFT JOIN threads t ON t.id = (CASE WHEN e.subject_type = 'thread' THEN e.subject_id ELSE e.payload->>'threadId' END)::bigint
      WHERE e.actor_id = ${userId} AND e.occurred_at >= ${from} AND e.occurred_at < ${to}
        AND e.type IN ('question.asked', 'answer.posted', 'comment.added', 'vote.cast', 'vote.withdrawn', 'answer.accepted', 'resolution.answered')
      UNION ALL
      SELECT s.created_at, 'ticket', s.message, NULL, '/support/tickets/' || s.id, s.source, NULL
      FROM support_tickets s WHERE s.customer_id = ${userId} AND s.created_at >= ${from} AND s.created_at < ${to}
    ),
    ordered AS (
      SELECT s.*, LAG(at) OVER (ORDER BY at, kind) AS prev_at, LEAD(at) OVER (ORDER BY at, kind) AS next_at FROM steps s
    )
    SELECT at, kind, label, count,  href, detail,
      (SUM(CASE WHEN prev_at IS NULL OR at - prev_at >= ${gap}::interval THEN 1 ELSE 0 END) OVER (ORDER BY at, kind))::int AS run,
      COALESCE(reported, CASE WHEN next_at IS NOT NULL AND next_at - at < ${gap}::interval THEN floor(extract(epoch FROM next_at - at))::int END) AS seconds,
      reported IS NOT NULL AS reported
    FROM ordered ORDER BY at, kind LIMIT ${limit}`;
}

function toStep(r: Row): JourneyStep {
  return { at: r.at.toISOString(), kind: r.kind, label: r.label ?? "", count: r.count, href: r.href, detail: r.detail, run: r.run, seconds: r.seconds, secondsReported: r.reported };
}

/** A member's journey between two instants, every key of theirs included. */
export async function memberJourney(userId: string, from: Date, to: Date, extraVisitorIds: (string | null)[] = [], limit = JOURNEY_STEP_LIMIT): Promise<JourneyStep[]> {
  const keys = await visitorKeysOf(prisma, userId, extraVisitorIds);
  const rows = await prisma.$queryRaw<Row[]>(journeySql(keys, userId, from, to, limit));
  return rows.map(toStep);
}

/** The journey a ticket shows: its customer's last 7 days before it was opened. */
export function ticketJourney(ticket: { customerId: string; visitorId: string | null; createdAt: Date }): Promise<JourneyStep[]> {
  const to = new Date(ticket.createdAt.getTime() + 1000);
  const from = new Date(ticket.createdAt.getTime() - TICKET_JOURNEY_DAYS * 24 * 3600_000);
  return memberJourney(ticket.customerId, from, to, [ticket.visitorId]);
}

/** The member's own journey for /account: everything still kept (90 days). */
export function ownJourney(userId: string, now = new Date()): Promise<JourneyStep[]> {
  return memberJourney(userId, new Date(now.getTime() - JOURNEY_RETENTION_DAYS * 24 * 3600_000), new Date(now.getTime() + 1000), [], 10_000);
}
