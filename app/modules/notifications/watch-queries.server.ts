import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import type { WatchTarget } from "./notifications.schema.ts";

/**
 * SQL expression for the thread page's own statement (alias `t`): whether the viewer watches the
 * thread. Without a stored choice, the asker and the answerers watch it (the automatic watch is
 * written after commit by the fan-out handler; this shows it at once).
 */
export function threadWatchingSql(viewerId: string): Prisma.Sql {
  return Prisma.sql`COALESCE(
    (SELECT w.level = 'watching' FROM watches w WHERE w.target_type = 'thread' AND w.target_id = t.id AND w.user_id = ${viewerId}),
    t.author_id = ${viewerId} OR EXISTS (SELECT 1 FROM posts wp WHERE wp.thread_id = t.id AND wp.kind = 'answer' AND wp.author_id = ${viewerId} AND wp.deleted_at IS NULL))`;
}

/** Whether a member watches a tag or a category (for the Watch button on its page). */
export async function isWatching(userId: string, targetType: WatchTarget, targetId: bigint | number): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ level: string }[]>`
    SELECT level FROM watches WHERE target_type = ${targetType} AND target_id = ${BigInt(targetId)} AND user_id = ${userId}`;
  return row?.level === "watching";
}

export type WatchedItem = { targetType: WatchTarget; targetId: string; label: string; path: string; reason: string; since: string };

/** What a member watches, newest first (the "Watching" tab), in one statement; hidden or deleted threads are left out. */
export async function listWatching(userId: string): Promise<WatchedItem[]> {
  const rows = await prisma.$queryRaw<
    { target_type: WatchTarget; target_id: bigint; reason: string; created_at: Date; title: string | null; slug: string | null; tag: string | null; category_name: string | null; category_slug: string | null }[]
  >`
    SELECT w.target_type, w.target_id, w.reason, w.created_at, t.title, t.slug, g.name AS tag, c.name AS category_name, c.slug AS category_slug
    FROM watches w
    LEFT JOIN threads t ON w.target_type = 'thread' AND t.id = w.target_id AND t.deleted_at IS NULL AND t.hidden_at IS NULL
    LEFT JOIN tags g ON w.target_type = 'tag' AND g.id = w.target_id
    LEFT JOIN categories c ON w.target_type = 'category' AND c.id = w.target_id
    WHERE w.user_id = ${userId} AND w.level = 'watching'
      AND (t.id IS NOT NULL OR g.id IS NOT NULL OR c.id IS NOT NULL)
    ORDER BY w.created_at DESC
    LIMIT 500`;
  return rows.map((r) => ({
    targetType: r.target_type,
    targetId: r.target_id.toString(),
    label: r.title ?? r.tag ?? r.category_name ?? "",
    path: r.target_type === "thread" ? `/questions/${r.target_id}/${r.slug}` : r.target_type === "tag" ? `/tags/${r.tag}` : `/categories/${r.category_slug}`,
    reason: r.reason,
    since: r.created_at.toISOString(),
  }));
}
