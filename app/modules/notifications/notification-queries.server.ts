import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import type { NotificationView } from "./describe-notification.ts";
import { GROUPED_KINDS, type NotificationKind } from "./notification-kinds.ts";

export const PAGE_SIZE = 50;

type Row = {
  id: bigint;
  kind: string;
  created_at: Date;
  read_at: Date | null;
  thread_id: bigint | null;
  post_id: bigint | null;
  comment_id: bigint | null;
  data: NotificationView["data"];
  actor_handle: string | null;
  actor_name: string | null;
  slug: string | null;
  title: string | null;
};

/** "<created_at ISO>_<id>": the keyset cursor of the list (newest first); anything else starts over. */
function parseCursor(cursor: string | null | undefined): { at: Date; id: bigint } | null {
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([1-9]\d{0,17})$/.exec(cursor ?? "");
  if (!match) return null;
  const at = new Date(match[1]!);
  return Number.isNaN(at.getTime()) ? null : { at, id: BigInt(match[2]!) };
}

/**
 * A member's notices, newest first, 50 per page: ONE statement through the index
 * (recipient_id, created_at DESC, id DESC), with the thread and the actor joined. Withdrawn notices
 * (hidden or deleted content) are left out, and so are notices whose thread or post was hidden or
 * deleted a moment ago, before the handler withdrew them (checked here, at read time). Unread notices of the same kind on the same thread are
 * grouped into one line ("3 new answers on …") that opens the oldest new post.
 */
export async function listNotifications(userId: string, cursor?: string | null): Promise<{ items: NotificationView[]; nextCursor: string | null }> {
  const after = parseCursor(cursor);
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT n.id, n.kind, n.created_at, n.read_at, n.thread_id, n.post_id, n.comment_id, n.data,
      a.handle AS actor_handle, a.display_name AS actor_name, t.slug, t.title
    FROM notifications n
    LEFT JOIN users a ON a.id = n.actor_id
    LEFT JOIN threads t ON t.id = n.thread_id
    LEFT JOIN posts p ON p.id = n.post_id
    WHERE n.recipient_id = ${userId} AND n.withdrawn_at IS NULL
      AND (n.thread_id IS NULL OR (t.hidden_at IS NULL AND t.deleted_at IS NULL))
      AND (n.post_id IS NULL OR (p.hidden_at IS NULL AND p.deleted_at IS NULL))
      ${after ? Prisma.sql`AND (n.created_at, n.id) < (${after.at}, ${after.id})` : Prisma.empty}
    ORDER BY n.created_at DESC, n.id DESC
    LIMIT ${PAGE_SIZE + 1}`;
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  return { items: groupRows(page), nextCursor: rows.length > PAGE_SIZE && last ? `${last.created_at.toISOString()}_${last.id}` : null };
}

function toView(row: Row): NotificationView {
  return {
    ids: [row.id.toString()],
    kind: row.kind,
    count: 1,
    unread: row.read_at === null,
    createdAt: row.created_at.toISOString(),
    actor: row.actor_handle ? { handle: row.actor_handle, displayName: row.actor_name ?? row.actor_handle } : null,
    thread: row.thread_id !== null && row.slug !== null ? { id: row.thread_id.toString(), slug: row.slug, title: row.title ?? "" } : null,
    postId: row.post_id?.toString() ?? null,
    commentId: row.comment_id?.toString() ?? null,
    data: row.data ?? {},
  };
}

/** Groups unread notices of a groupable kind by (kind, thread); each group stands where its newest notice is. */
export function groupRows(rows: Row[]): NotificationView[] {
  const out: NotificationView[] = [];
  const groups = new Map<string, NotificationView>();
  for (const row of rows) {
    const view = toView(row);
    if (!view.unread || !view.thread || !GROUPED_KINDS.has(row.kind as NotificationKind)) {
      out.push(view);
      continue;
    }
    const key = `${row.kind}:${view.thread.id}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, view);
      out.push(view);
      continue;
    }
    group.ids.push(view.ids[0]!);
    group.count += 1;
    // Rows come newest first: the last one seen is the oldest, the first new post to read.
    group.postId = view.postId;
    group.commentId = view.commentId;
    if (group.actor?.handle !== view.actor?.handle) group.actor = null;
  }
  return out;
}

/** The member's unread count (the bell), as the root loader reads it with the session. */
export async function unreadCount(userId: string): Promise<number> {
  const [row] = await prisma.$queryRaw<{ unread: number }[]>`SELECT unread_notification_count(${userId}) AS unread`;
  return row?.unread ?? 0;
}
