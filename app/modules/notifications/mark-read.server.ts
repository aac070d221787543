import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { notificationPath, type NotificationView } from "./describe-notification.ts";
import { signalSql } from "./fan-out.server.ts";
import { liveCounts } from "./live-counts.server.ts";
import { canUseNotifications } from "./notifications.policy.ts";
import { NotificationIdsSchema } from "./notifications.schema.ts";

/**
 * Marks notices read in one statement: only the actor's own (another member's id counts as not
 * found), announcing the new count to every app server (pg_notify) and to this one directly.
 * `samePost` also marks the member's other notices about the posts of these notices (opening a post
 * reads everything about it). Returns how many of the ids were the actor's.
 */
async function markRead(userId: string, where: Prisma.Sql, samePost = false): Promise<{ owned: number; changed: number }> {
  const [row] = await prisma.$queryRaw<{ owned: number; changed: number }[]>`
    WITH owned AS (SELECT id, post_id FROM notifications WHERE recipient_id = ${userId} AND ${where}),
    changed AS (
      UPDATE notifications n SET read_at = now()
      WHERE n.recipient_id = ${userId} AND n.read_at IS NULL
        AND (n.id IN (SELECT id FROM owned) OR (${samePost} AND n.post_id IN (SELECT post_id FROM owned WHERE post_id IS NOT NULL)))
      RETURNING n.recipient_id
    ),
    signal AS (${signalSql("changed")})
    SELECT (SELECT count(*) FROM owned)::int AS owned, (SELECT count(*) FROM changed)::int AS changed, (SELECT count(*) FROM signal)::int AS signals`;
  if ((row?.changed ?? 0) > 0) liveCounts().signal([userId]);
  return { owned: row?.owned ?? 0, changed: row?.changed ?? 0 };
}

/** "Mark read" on one line of the list (a notice or a group). Another member's ids: not found. */
export async function markNotificationsRead(actor: Actor, input: unknown): Promise<Result<{ changed: number }>> {
  const parsed = NotificationIdsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  if (!canUseNotifications(actor)) return notFound("messages.notifications.noSuch");
  const { owned, changed } = await markRead(actor.id, Prisma.sql`id = ANY(${parsed.data.ids}::bigint[])`);
  if (owned === 0) return notFound("messages.notifications.noSuch");
  return ok({ changed });
}

/** "Mark all as read". */
export async function markAllNotificationsRead(actor: Actor): Promise<Result<{ changed: number }>> {
  if (!canUseNotifications(actor)) return notFound("messages.notifications.noSuch");
  const { changed } = await markRead(actor.id, Prisma.sql`read_at IS NULL`);
  return ok({ changed });
}

/**
 * Opening a line of the list: marks it (and the member's other notices about the same post) read
 * and returns where to go, worked out from the stored notice (never from the form, so it cannot be
 * turned into an open redirect). Another member's ids, or a withdrawn notice: not found.
 */
export async function openNotification(actor: Actor & { handle: string }, input: unknown): Promise<Result<{ path: string }>> {
  const parsed = NotificationIdsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  if (!canUseNotifications(actor)) return notFound("messages.notifications.noSuch");
  const ids = parsed.data.ids;
  // The line's target: the oldest of its notices (the first new post of a group).
  const [target] = await prisma.$queryRaw<{ kind: string; thread_id: bigint | null; slug: string | null; title: string | null; post_id: bigint | null; data: NotificationView["data"] }[]>`
    SELECT n.kind, n.thread_id, t.slug, t.title, n.post_id, n.data
    FROM notifications n LEFT JOIN threads t ON t.id = n.thread_id
    WHERE n.recipient_id = ${actor.id} AND n.id = ANY(${ids}::bigint[]) AND n.withdrawn_at IS NULL
    ORDER BY n.created_at ASC, n.id ASC LIMIT 1`;
  if (!target) return notFound("messages.notifications.noSuch");
  await markRead(actor.id, Prisma.sql`id = ANY(${ids}::bigint[])`, true);
  const thread = target.thread_id !== null && target.slug !== null ? { id: target.thread_id.toString(), slug: target.slug, title: target.title ?? "" } : null;
  return ok({ path: notificationPath({ kind: target.kind, thread, postId: target.post_id?.toString() ?? null, data: target.data ?? {} }, actor.handle) });
}

/** The thread page was shown to this member (its view beacon): their notices about it are read. */
export async function markThreadNotificationsRead(userId: string, threadId: bigint): Promise<number> {
  const { changed } = await markRead(userId, Prisma.sql`thread_id = ${threadId} AND read_at IS NULL`);
  return changed;
}

/**
 * Notices that are history when they are made (the demo seed's content) are marked read, so they are
 * listed but never mailed: an e-mail at once and a digest go out only for what is still unread (ADR
 * 043). Nobody is connected yet, so nothing is signalled. Returns the number of notices.
 */
export async function markHistoryRead(before: Date): Promise<number> {
  return prisma.$executeRaw`UPDATE notifications SET read_at = created_at WHERE read_at IS NULL AND created_at <= ${before}`;
}
