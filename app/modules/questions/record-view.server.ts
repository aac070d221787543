import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { notFound, ok, type Result } from "~/utils/http.server.ts";

export type Visitor = { userId: string | null; anonId: string | null };

/** What the page learns from its view POST: whether it counted, and the id its time-on-page beacon quotes (ADR 072). */
export type PageView = { counted: boolean; viewId: string | null };

/**
 * Counts a thread view once per visitor per thread per calendar day (UTC), signed in or not, and
 * keeps who viewed what and when. Called from a small POST the page sends after it is shown, so the
 * page itself stays a pure, cacheable GET. A hidden or deleted thread is "not found" (its views are
 * not counted, and the beacon is no way to learn that it exists). Event: thread.viewed (only for a counted view).
 *
 * The row gets a random `view_id` in the same INSERT, returned to the page for its time-on-page beacon
 * (ADR 072); a repeat view the same day gets the day's row id while no time was reported for it yet.
 * Neither adds a statement: the INSERT returns the id, and the liveness check of a repeat view reads it.
 */
export async function recordView(threadId: bigint, visitor: Visitor): Promise<Result<PageView>> {
  const visitorKey = visitor.userId ? `u:${visitor.userId}` : visitor.anonId ? `a:${visitor.anonId}` : null;
  if (!visitorKey) {
    const live = (await prisma.thread.count({ where: { id: threadId, deletedAt: null, hiddenAt: null } })) > 0;
    return live ? ok({ counted: false, viewId: null }) : notFound("messages.common.noSuchQuestion");
  }
  return prisma.$transaction(async (tx): Promise<Result<PageView>> => {
    const [inserted] = await tx.$queryRaw<{ view_id: string }[]>`
      INSERT INTO thread_views (thread_id, visitor_key, day, user_id, viewed_at, view_id)
      SELECT ${threadId}, ${visitorKey}, (now() AT TIME ZONE 'UTC')::date, ${visitor.userId}, now(), gen_random_uuid()
      WHERE EXISTS (SELECT 1 FROM threads WHERE id = ${threadId} AND deleted_at IS NULL AND hidden_at IS NULL)
      ON CONFLICT DO NOTHING
      RETURNING view_id::text`;
    if (!inserted) {
      const [day] = await tx.$queryRaw<{ live: boolean; view_id: string | null }[]>`
        SELECT EXISTS (SELECT 1 FROM threads WHERE id = ${threadId} AND deleted_at IS NULL AND hidden_at IS NULL) AS live,
          (SELECT view_id::text FROM thread_views WHERE thread_id = ${threadId} AND visitor_key = ${visitorKey}
             AND day = (now() AT TIME ZONE 'UTC')::date AND visible_seconds IS NULL) AS view_id`;
      return day?.live ? ok({ counted: false, viewId: day.view_id }) : notFound("messages.common.noSuchQuestion");
    }
    await tx.$executeRaw`UPDATE threads SET view_count = view_count + 1 WHERE id = ${threadId}`;
    await recordEvent(tx, { type: "thread.viewed", actorId: visitor.userId, subjectType: "thread", subjectId: threadId.toString(), payload: { visitor: visitorKey } });
    return ok({ counted: true, viewId: inserted.view_id });
  });
}
