import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { notFound, ok, type Result } from "~/utils/http.server.ts";

export type Visitor = { userId: string | null; anonId: string | null };

/**
 * Counts a thread view once per visitor per thread per calendar day (UTC), signed in or not, and
 * keeps who viewed what and when. Called from a small POST the page sends after it is shown, so the
 * page itself stays a pure, cacheable GET. A hidden or deleted thread is "not found" (its views are
 * not counted, and the beacon is no way to learn that it exists). Event: thread.viewed (only for a counted view).
 */
export async function recordView(threadId: bigint, visitor: Visitor): Promise<Result<{ counted: boolean }>> {
  const visitorKey = visitor.userId ? `u:${visitor.userId}` : visitor.anonId ? `a:${visitor.anonId}` : null;
  const live = async (db: Pick<typeof prisma, "thread">) => (await db.thread.count({ where: { id: threadId, deletedAt: null, hiddenAt: null } })) > 0;
  if (!visitorKey) return (await live(prisma)) ? ok({ counted: false }) : notFound("messages.common.noSuchQuestion");
  return prisma.$transaction(async (tx): Promise<Result<{ counted: boolean }>> => {
    const inserted = await tx.$executeRaw`
      INSERT INTO thread_views (thread_id, visitor_key, day, user_id, viewed_at)
      SELECT ${threadId}, ${visitorKey}, (now() AT TIME ZONE 'UTC')::date, ${visitor.userId}, now()
      WHERE EXISTS (SELECT 1 FROM threads WHERE id = ${threadId} AND deleted_at IS NULL AND hidden_at IS NULL)
      ON CONFLICT DO NOTHING`;
    if (inserted === 0) {
      return (await live(tx)) ? ok({ counted: false }) : notFound("messages.common.noSuchQuestion");
    }
    await tx.$executeRaw`UPDATE threads SET view_count = view_count + 1 WHERE id = ${threadId}`;
    await recordEvent(tx, { type: "thread.viewed", actorId: visitor.userId, subjectType: "thread", subjectId: threadId.toString(), payload: { visitor: visitorKey } });
    return ok({ counted: true });
  });
}
