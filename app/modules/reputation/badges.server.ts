import { Prisma } from "~/generated/prisma/client.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import type { prisma, Tx } from "~/utils/db.server.ts";
import { BADGE_THRESHOLDS } from "./thresholds.ts";

type Db = Tx | typeof prisma;

/**
 * The badge rules as one query (docs/decisions/018): the (member, badge, scope) rows the current
 * state qualifies for, limited to some members or to everyone. The same SQL serves the event
 * handler (a few members) and the backfill (everyone), so the two can never disagree.
 * Accepted answers never count when the asker accepted their own answer.
 */
function qualifying(userIds: string[] | null): Prisma.Sql {
  const only = (column: Prisma.Sql) => (userIds ? Prisma.sql`${column} = ANY(${userIds}::text[])` : Prisma.sql`TRUE`);
  const b = BADGE_THRESHOLDS;
  return Prisma.sql`
    accepted_counts AS (
      SELECT a.author_id AS user_id, COUNT(*) AS n
      FROM threads t JOIN posts a ON a.id = t.accepted_answer_id
      WHERE ${only(Prisma.sql`a.author_id`)} AND t.deleted_at IS NULL AND a.deleted_at IS NULL AND a.author_id <> t.author_id
      GROUP BY a.author_id
    ),
    category_stats AS (
      SELECT p.author_id AS user_id, t.category_id,
        COUNT(*) FILTER (WHERE t.accepted_answer_id = p.id AND t.author_id <> p.author_id) AS accepted, AVG(p.score) AS average
      FROM posts p JOIN threads t ON t.id = p.thread_id
      WHERE ${only(Prisma.sql`p.author_id`)} AND p.kind = 'answer' AND p.deleted_at IS NULL AND t.deleted_at IS NULL
      GROUP BY p.author_id, t.category_id
    ),
    qualifying AS (
      SELECT DISTINCT t.author_id AS user_id, 'first_question' AS badge, '' AS scope_key, NULL::int AS category_id, NULL::bigint AS post_id
      FROM threads t WHERE ${only(Prisma.sql`t.author_id`)} AND t.deleted_at IS NULL
      UNION ALL
      SELECT DISTINCT p.author_id, 'first_answer', '', NULL::int, NULL::bigint
      FROM posts p WHERE ${only(Prisma.sql`p.author_id`)} AND p.kind = 'answer' AND p.deleted_at IS NULL
      UNION ALL
      SELECT c.user_id, l.badge, '', NULL::int, NULL::bigint
      FROM accepted_counts c
      JOIN (VALUES ('first_accepted', 1), ('accepted_bronze', ${b.acceptedBronze}::int), ('accepted_silver', ${b.acceptedSilver}::int), ('accepted_gold', ${b.acceptedGold}::int)) AS l(badge, n)
        ON c.n >= l.n
      UNION ALL
      SELECT p.author_id, 'helpful', 'post:' || p.id, NULL::int, p.id
      FROM posts p WHERE ${only(Prisma.sql`p.author_id`)} AND p.kind = 'answer' AND p.deleted_at IS NULL AND p.score >= ${b.helpfulScore}
      UNION ALL
      SELECT s.user_id, 'category_expert', 'category:' || s.category_id, s.category_id, NULL::bigint
      FROM category_stats s WHERE s.accepted >= ${b.expertAccepted} AND s.average >= ${b.expertAverageScore}
    )`;
}

type BadgeChange = { id: bigint; user_id: string; badge: string; scope_key: string; category_id: number | null; post_id: bigint | null };

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
    await db.$queryRaw`SELECT id FROM users WHERE id = ANY(${userIds}::text[]) ORDER BY id FOR UPDATE`;
  }
  const q = qualifying(userIds);
  const scoped = userIds ? Prisma.sql`b.user_id = ANY(${userIds}::text[])` : Prisma.sql`TRUE`;
  const granted = await db.$queryRaw<BadgeChange[]>`
    WITH ${q}
    INSERT INTO user_badges (user_id, badge, scope_key, category_id, post_id, event_id)
    SELECT q.user_id, q.badge, q.scope_key, q.category_id, q.post_id, ${eventId}::bigint FROM qualifying q
    WHERE NOT EXISTS (SELECT 1 FROM user_badges b WHERE b.user_id = q.user_id AND b.badge = q.badge AND b.scope_key = q.scope_key AND b.revoked_at IS NULL)
    ON CONFLICT (user_id, badge, scope_key) WHERE revoked_at IS NULL DO NOTHING
    RETURNING id, user_id, badge, scope_key, category_id, post_id`;
  const revoked = await db.$queryRaw<BadgeChange[]>`
    WITH ${q}
    UPDATE user_badges b SET revoked_at = now()
    WHERE ${scoped} AND b.badge = 'category_expert' AND b.revoked_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM qualifying q WHERE q.user_id = b.user_id AND q.badge = b.badge AND q.scope_key = b.scope_key)
    RETURNING id, user_id, badge, scope_key, category_id, post_id`;
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
  if (eventId !== null) {
    for (const [type, rows] of [["badge.granted", granted], ["badge.revoked", revoked]] as const) {
      for (const row of rows) {
        await recordEvent(db as Tx, {
          type,
          actorId: null,
          subjectType: "user",
          subjectId: row.user_id,
          payload: { badge: row.badge, scopeKey: row.scope_key, categoryId: row.category_id, postId: row.post_id?.toString() ?? null, userBadgeId: row.id.toString(), causedBy: eventId.toString() },
        });
      }
    }
  }
  return { granted: granted.length, revoked: revoked.length };
}
