import { Prisma } from "~/generated/prisma/client.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import type { prisma, Tx } from "~/utils/db.server.ts";
import { BADGE_THRESHOLDS } from "./thresholds.ts";

type Db = Tx | typeof prisma;

/**
 * The badge rules as one query (docs/decisions/018): the (member, badge, scope) rows the current
 * state qualifies for, limited to some members or to everyone. The same SQL serves the event
 * handler (a few members) and the backfill (everyone), so the two can never disagree.
 * The members' live posts are read once (`mine`, joined to their threads) and every rule is
 * computed from that one pass. Accepted answers never count when the asker accepted their own
 * answer; a question counts while its thread is live (deleting the question deletes the thread).
 */
function qualifying(userIds: string[] | null): Prisma.Sql {
  const only = userIds ? Prisma.sql`p.author_id = ANY(${userIds}::text[])` : Prisma.sql`TRUE`;
  const b = BADGE_THRESHOLDS;
  return Prisma.sql`
    mine AS MATERIALIZED (
      SELECT p.id, p.author_id AS user_id, p.kind, p.score, t.category_id, t.deleted_at IS NULL AS thread_live,
        (t.accepted_answer_id = p.id AND t.author_id <> p.author_id) AS counted_accept
      FROM posts p JOIN threads t ON t.id = p.thread_id
      WHERE ${only} AND p.deleted_at IS NULL
    ),
    per_user AS (
      SELECT user_id, bool_or(kind = 'question' AND thread_live) AS asked, bool_or(kind = 'answer') AS answered,
        COUNT(*) FILTER (WHERE kind = 'answer' AND thread_live AND counted_accept) AS accepted
      FROM mine GROUP BY user_id
    ),
    category_stats AS (
      SELECT user_id, category_id, COUNT(*) FILTER (WHERE counted_accept) AS accepted, AVG(score) AS average
      FROM mine WHERE kind = 'answer' AND thread_live GROUP BY user_id, category_id
    ),
    qualifying AS (
      SELECT user_id, 'first_question' AS badge, '' AS scope_key, NULL::int AS category_id, NULL::bigint AS post_id FROM per_user WHERE asked
      UNION ALL
      SELECT user_id, 'first_answer', '', NULL::int, NULL::bigint FROM per_user WHERE answered
      UNION ALL
      SELECT c.user_id, l.badge, '', NULL::int, NULL::bigint
      FROM per_user c
      JOIN (VALUES ('first_accepted', 1), ('accepted_bronze', ${b.acceptedBronze}::int), ('accepted_silver', ${b.acceptedSilver}::int), ('accepted_gold', ${b.acceptedGold}::int)) AS l(badge, n)
        ON c.accepted >= l.n
      UNION ALL
      SELECT user_id, 'helpful', 'post:' || id, NULL::int, id FROM mine WHERE kind = 'answer' AND score >= ${b.helpfulScore}
      UNION ALL
      SELECT s.user_id, 'category_expert', 'category:' || s.category_id, s.category_id, NULL::bigint
      FROM category_stats s WHERE s.accepted >= ${b.expertAccepted} AND s.average >= ${b.expertAverageScore}
    )`;
}

type BadgeChange = { id: bigint; user_id: string; badge: string; scope_key: string; category_id: number | null; post_id: bigint | null };

/** users.expert_category_ids from the live category_expert badges of these members (or everyone). */
export async function refreshExpertCategories(db: Db, userIds: string[] | null): Promise<void> {
  const usersFilter = userIds ? Prisma.sql`u.id = ANY(${userIds}::text[])` : Prisma.sql`TRUE`;
  await db.$executeRaw`
    UPDATE users u SET expert_category_ids = x.ids
    FROM (
      SELECT u2.id, COALESCE(array_agg(b.category_id ORDER BY b.category_id) FILTER (WHERE b.category_id IS NOT NULL), '{}') AS ids
      FROM users u2 LEFT JOIN user_badges b ON b.user_id = u2.id AND b.badge = 'category_expert' AND b.revoked_at IS NULL
      WHERE ${userIds ? Prisma.sql`u2.id = ANY(${userIds}::text[])` : Prisma.sql`TRUE`}
      GROUP BY u2.id
    ) x
    WHERE u.id = x.id AND ${usersFilter} AND u.expert_category_ids IS DISTINCT FROM x.ids`;
}

/**
 * Grants the badges the members now qualify for and revokes the revocable ones (category expert)
 * whose rule no longer holds, then refreshes users.expert_category_ids. A live badge is never
 * granted twice (the partial unique index on live (user, badge, scope) is the backstop); a revoked
 * row keeps its granted_at and revoked_at, and a new grant is a new row. With `eventId` (a handler)
 * the members are locked first and each change records badge.granted / badge.revoked; the backfill
 * (`userIds` null) records no events, so history does not notify anyone.
 */
export async function reconcileBadges(db: Db, userIds: string[] | null, eventId: bigint | null): Promise<{ granted: number; revoked: number }> {
  if (userIds) {
    if (userIds.length === 0) return { granted: 0, revoked: 0 };
    await db.$queryRaw`SELECT id FROM users WHERE id = ANY(${userIds}::text[]) ORDER BY id FOR NO KEY UPDATE`;
  }
  const scoped = userIds ? Prisma.sql`b.user_id = ANY(${userIds}::text[])` : Prisma.sql`TRUE`;
  // Grants and revokes in one statement, so the rules are evaluated once (both see the same snapshot).
  // The live badges are read once (MATERIALIZED): with the anti-join against user_badges itself, a
  // planner that expects an empty table (a fresh import: never analyzed) picks a nested loop that
  // rescans user_badges for every candidate while this statement appends to it, quadratic in the
  // badges granted (minutes for the backfill's 62,000; ADR 040).
  const changes = await db.$queryRaw<(BadgeChange & { change: "granted" | "revoked" })[]>`
    WITH ${qualifying(userIds)},
    live AS MATERIALIZED (
      SELECT b.user_id, b.badge, b.scope_key FROM user_badges b WHERE ${scoped} AND b.revoked_at IS NULL
    ),
    granted AS (
      INSERT INTO user_badges (user_id, badge, scope_key, category_id, post_id, event_id)
      SELECT q.user_id, q.badge, q.scope_key, q.category_id, q.post_id, ${eventId}::bigint FROM qualifying q
      WHERE NOT EXISTS (SELECT 1 FROM live b WHERE b.user_id = q.user_id AND b.badge = q.badge AND b.scope_key = q.scope_key)
      ON CONFLICT (user_id, badge, scope_key) WHERE revoked_at IS NULL DO NOTHING
      RETURNING id, user_id, badge, scope_key, category_id, post_id
    ),
    revoked AS (
      UPDATE user_badges b SET revoked_at = now()
      WHERE ${scoped} AND b.badge = 'category_expert' AND b.revoked_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM qualifying q WHERE q.user_id = b.user_id AND q.badge = b.badge AND q.scope_key = b.scope_key)
      RETURNING id, user_id, badge, scope_key, category_id, post_id
    )
    SELECT 'granted' AS change, * FROM granted UNION ALL SELECT 'revoked' AS change, * FROM revoked`;
  const granted = changes.filter((c) => c.change === "granted");
  const revoked = changes.filter((c) => c.change === "revoked");
  // Expert status only moves with a category_expert grant or revoke (the backfill refreshes it always).
  if (userIds === null || changes.some((c) => c.badge === "category_expert")) await refreshExpertCategories(db, userIds);
  if (eventId !== null) {
    for (const row of [...granted, ...revoked]) {
      await recordEvent(db as Tx, {
        type: row.change === "granted" ? "badge.granted" : "badge.revoked",
        actorId: null,
        subjectType: "user",
        subjectId: row.user_id,
        payload: { badge: row.badge, scopeKey: row.scope_key, categoryId: row.category_id, postId: row.post_id?.toString() ?? null, userBadgeId: row.id.toString(), causedBy: eventId.toString() },
      });
    }
  }
  return { granted: granted.length, revoked: revoked.length };
}
