import { prisma } from "~/utils/db.server.ts";
import type { FlagReason, FlagStatus } from "./flags.schema.ts";

export const REVIEW_PAGE_SIZE = 20;

export type ReviewItem = {
  postId: string;
  kind: "question" | "answer";
  threadId: string;
  threadTitle: string;
  threadSlug: string;
  bodyHtml: string;
  createdAt: string;
  hidden: boolean;
  heldFor: "first_post" | "spam_check" | null;
  flags: { reason: FlagReason; detail: string; flaggerHandle: string; createdAt: string }[];
  author: { id: string; handle: string; displayName: string; role: string; status: string; reputation: number; joinedAt: string; postCount: number; flagsAgreed: number; suspendedUntil: string | null };
};

type Row = {
  post_id: bigint; kind: "question" | "answer"; thread_id: bigint; title: string; slug: string; body_html: string; created_at: Date; hidden_at: Date | null; held_for: ReviewItem["heldFor"];
  flags: { reason: FlagReason; detail: string; handle: string; created_at: string }[] | null;
  author_id: string; handle: string; display_name: string; role: string; status: string; reputation: number; joined_at: Date; post_count: number; flags_agreed: number; suspended_until: Date | null;
};

/**
 * The review queue (issue 19): every post that needs a moderator's decision, one item per post, oldest
 * first (by post id, so "skip" is a cursor): posts with pending flags (all their reasons together) and
 * posts held for review (first posts of new members, posts caught by the spam checks). Deleted posts
 * leave the queue. Each item carries the author's history: account age, reputation, posts, and how many
 * of their posts had flags agreed with. One statement.
 */
export async function listReviewQueue(after: bigint | null = null): Promise<{ items: ReviewItem[]; nextAfter: string | null; total: number }> {
  const rows = await prisma.$queryRaw<(Row & { total: number })[]>`
    WITH queue AS (
      SELECT p.id FROM posts p
      WHERE p.deleted_at IS NULL AND (p.held_for IS NOT NULL OR EXISTS (SELECT 1 FROM post_flags f WHERE f.post_id = p.id AND f.status = 'pending'))
    )
    SELECT p.id AS post_id, p.kind::text AS kind, p.thread_id, t.title, t.slug, p.body_html, p.created_at, p.hidden_at, p.held_for,
      (SELECT json_agg(json_build_object('reason', f.reason, 'detail', f.detail, 'handle', fu.handle, 'created_at', f.created_at) ORDER BY f.id)
         FROM post_flags f JOIN users fu ON fu.id = f.flagger_id WHERE f.post_id = p.id AND f.status = 'pending') AS flags,
      u.id AS author_id, u.handle, u.display_name, u.role::text AS role, u.status::text AS status, u.reputation, u.created_at AS joined_at, u.suspended_until,
      (SELECT COUNT(*)::int FROM posts ap WHERE ap.author_id = u.id) AS post_count,
      (SELECT COUNT(DISTINCT af.post_id)::int FROM post_flags af JOIN posts ap ON ap.id = af.post_id WHERE ap.author_id = u.id AND af.status = 'agreed') AS flags_agreed,
      (SELECT COUNT(*)::int FROM queue) AS total
    FROM queue q JOIN posts p ON p.id = q.id JOIN threads t ON t.id = p.thread_id JOIN users u ON u.id = p.author_id
    WHERE ${after === null} OR p.id > ${after ?? 0n}
    ORDER BY p.id
    LIMIT ${REVIEW_PAGE_SIZE + 1}`;
  const page = rows.slice(0, REVIEW_PAGE_SIZE);
  return {
    total: rows[0]?.total ?? (after === null ? 0 : await countQueue()),
    nextAfter: rows.length > REVIEW_PAGE_SIZE ? page.at(-1)!.post_id.toString() : null,
    items: page.map((r) => ({
      postId: r.post_id.toString(),
      kind: r.kind,
      threadId: r.thread_id.toString(),
      threadTitle: r.title,
      threadSlug: r.slug,
      bodyHtml: r.body_html,
      createdAt: r.created_at.toISOString(),
      hidden: r.hidden_at !== null,
      heldFor: r.held_for,
      flags: (r.flags ?? []).map((f) => ({ reason: f.reason, detail: f.detail, flaggerHandle: f.handle, createdAt: new Date(f.created_at).toISOString() })),
      author: {
        id: r.author_id, handle: r.handle, displayName: r.display_name, role: r.role, status: r.status, reputation: r.reputation,
        joinedAt: r.joined_at.toISOString(), postCount: r.post_count, flagsAgreed: r.flags_agreed, suspendedUntil: r.suspended_until?.toISOString() ?? null,
      },
    })),
  };
}

async function countQueue(): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT COUNT(*)::int AS n FROM posts p
    WHERE p.deleted_at IS NULL AND (p.held_for IS NOT NULL OR EXISTS (SELECT 1 FROM post_flags f WHERE f.post_id = p.id AND f.status = 'pending'))`;
  return row?.n ?? 0;
}

export type MyFlag = { id: string; postId: string; reason: FlagReason; status: FlagStatus; createdAt: string; decidedAt: string | null; threadId: string; threadTitle: string | null; threadSlug: string | null; visible: boolean };

/**
 * A member's own flags, newest first, with their outcome (pending, agreed, disagreed) and whether the
 * post is still visible. A hidden or deleted thread is not named (hidden content stays hidden everywhere).
 */
export async function listMyFlags(userId: string, limit = 50): Promise<MyFlag[]> {
  const rows = await prisma.$queryRaw<{ id: bigint; post_id: bigint; reason: FlagReason; status: FlagStatus; created_at: Date; decided_at: Date | null; thread_id: bigint; title: string | null; slug: string | null; visible: boolean }[]>`
    SELECT f.id, f.post_id, f.reason, f.status, f.created_at, f.decided_at, t.id AS thread_id,
      CASE WHEN t.deleted_at IS NULL AND t.hidden_at IS NULL THEN t.title END AS title,
      CASE WHEN t.deleted_at IS NULL AND t.hidden_at IS NULL THEN t.slug END AS slug,
      (p.deleted_at IS NULL AND p.hidden_at IS NULL AND t.deleted_at IS NULL AND t.hidden_at IS NULL) AS visible
    FROM post_flags f JOIN posts p ON p.id = f.post_id JOIN threads t ON t.id = p.thread_id
    WHERE f.flagger_id = ${userId} ORDER BY f.id DESC LIMIT ${limit}`;
  return rows.map((r) => ({
    id: r.id.toString(), postId: r.post_id.toString(), reason: r.reason, status: r.status, createdAt: r.created_at.toISOString(), decidedAt: r.decided_at?.toISOString() ?? null,
    threadId: r.thread_id.toString(), threadTitle: r.title, threadSlug: r.slug, visible: r.visible,
  }));
}

/** Which of these posts the member has flagged (the thread page shows "You flagged this post"). */
export async function flaggedByMember(userId: string, postIds: bigint[]): Promise<Set<string>> {
  if (postIds.length === 0) return new Set();
  const rows = await prisma.postFlag.findMany({ where: { flaggerId: userId, postId: { in: postIds } }, select: { postId: true } });
  return new Set(rows.map((r) => r.postId.toString()));
}
