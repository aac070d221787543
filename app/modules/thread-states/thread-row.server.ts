import { Prisma } from "~/generated/prisma/client.ts";
import type { Tx } from "~/utils/db.server.ts";

/** A thread's state columns, read under a row lock by every thread-state use case. */
export type LockedThread = {
  id: bigint;
  author_id: string;
  category_id: number;
  title: string;
  slug: string;
  question_post_id: bigint | null;
  accepted_answer_id: bigint | null;
  resolved_at: Date | null;
  first_answer_at: Date | null;
  hidden_at: Date | null;
  deleted_at: Date | null;
  closed_at: Date | null;
  closed_reason: string | null;
  duplicate_of_id: bigint | null;
  merged_into_id: bigint | null;
  locked_at: Date | null;
  pinned_at: Date | null;
  pinned_globally: boolean;
  pinned_until: Date | null;
  unlisted_at: Date | null;
  close_round: number;
};

/**
 * Locks threads (FOR NO KEY UPDATE, in id order so two merges of the same pair cannot deadlock) and
 * returns their state columns by id. A state change and the answers, votes and acceptances it refuses
 * then apply one after the other.
 */
export async function lockThreads(tx: Tx, ids: bigint[]): Promise<Map<bigint, LockedThread>> {
  const rows = await tx.$queryRaw<LockedThread[]>`
    SELECT id, author_id, category_id, title, slug, question_post_id, accepted_answer_id, resolved_at, first_answer_at, hidden_at, deleted_at,
      closed_at, closed_reason::text AS closed_reason, duplicate_of_id, merged_into_id, locked_at, pinned_at, pinned_globally, pinned_until,
      unlisted_at, close_round
    FROM threads WHERE id = ANY(${ids.map(String)}::bigint[]) ORDER BY id FOR NO KEY UPDATE`;
  return new Map(rows.map((r) => [r.id, r]));
}

export async function lockThread(tx: Tx, id: bigint): Promise<LockedThread | undefined> {
  return (await lockThreads(tx, [id])).get(id);
}

/** A thread that state actions may act on: it exists, is not deleted and was not merged away. */
export function isActionable(thread: LockedThread | undefined): thread is LockedThread {
  return !!thread && !thread.deleted_at && !thread.merged_into_id;
}

/** The state fields an audit row keeps before and after (ADR 044: only what the action changed, but small enough to keep whole). */
export function stateSnapshot(t: LockedThread) {
  return {
    closedAt: t.closed_at?.toISOString() ?? null,
    closedReason: t.closed_reason,
    duplicateOfId: t.duplicate_of_id?.toString() ?? null,
    lockedAt: t.locked_at?.toISOString() ?? null,
    pinnedAt: t.pinned_at?.toISOString() ?? null,
    pinnedGlobally: t.pinned_globally,
    pinnedUntil: t.pinned_until?.toISOString() ?? null,
    unlistedAt: t.unlisted_at?.toISOString() ?? null,
    categoryId: t.category_id,
  };
}

/** The state columns a write into a thread (an answer, a comment, a vote) checks before it lands. */
export type ThreadWriteState = { deleted_at: Date | null; hidden_at: Date | null; closed_at: Date | null; locked_at: Date | null; merged_into_id: bigint | null };

/**
 * Reads a thread's state under a row lock, in the transaction of a write into the thread (ADR 068), so
 * the state check and the insert serialize with a close, lock or merge (which hold FOR NO KEY UPDATE):
 * a write that starts during one waits for it and sees its result. `update` (FOR NO KEY UPDATE) for a
 * write that updates the thread row later anyway (answers and comments move its counters, a vote on a
 * question its score): taking the lock it will need at once avoids a share-to-update upgrade that could
 * deadlock two writers. `share` (FOR SHARE) for one that only reads it (a vote on an answer), so those
 * never wait for each other. Call it before locking any post of the thread (the order every thread-state
 * change and lockPost follow: thread, then posts).
 */
export async function lockThreadForWrite(tx: Tx, threadId: bigint, mode: "share" | "update"): Promise<ThreadWriteState | undefined> {
  const rows = await tx.$queryRaw<ThreadWriteState[]>`
    SELECT deleted_at, hidden_at, closed_at, locked_at, merged_into_id FROM threads WHERE id = ${threadId}
    ${mode === "share" ? Prisma.sql`FOR SHARE` : Prisma.sql`FOR NO KEY UPDATE`}`;
  return rows[0];
}

/** The state as stateRefusal (thread-states.policy.ts) reads it. */
export function writeStateOf(t: ThreadWriteState) {
  return { closedAt: t.closed_at, lockedAt: t.locked_at, mergedIntoId: t.merged_into_id };
}

/**
 * The one rule for a thread's last activity, as an assignment in `UPDATE threads SET`: the database's
 * clock (every app server stamps the same time; inside a transaction it is the transaction's start, as
 * a row's `created_at` default), and never backwards, since a write that began later may have
 * committed first. Answers, comments, edits and acceptances use it.
 */
export const TOUCH_LAST_ACTIVITY = Prisma.sql`last_activity_at = GREATEST(last_activity_at, now())`;
