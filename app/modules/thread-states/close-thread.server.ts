import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import type { Member } from "~/modules/questions/questions.policy.ts";
import { THREAD_STATE_VOTES } from "~/modules/reputation/thresholds.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { isActionable, lockThread, stateSnapshot, type LockedThread } from "./thread-row.server.ts";
import { canManageThreadState, canVoteToClose } from "./thread-states.policy.ts";
import { CloseSchema, NoteSchema, type CloseReason } from "./thread-states.schema.ts";

export type CloseOutcome = { threadId: bigint; closed: boolean; votes: number; needed: number };

const NEEDED = THREAD_STATE_VOTES.closeVotesNeeded;

/**
 * The thread another one duplicates, followed to its root: a merged original points to where it was
 * merged, an original that is itself a duplicate to its own original. Refused (a field error) when it
 * is the thread itself, or gone, hidden or unknown.
 */
async function resolveOriginal(tx: Tx, threadId: bigint, originalId: bigint): Promise<Result<bigint>> {
  let id = originalId;
  for (let hop = 0; hop < 3; hop += 1) {
    const [row] = await tx.$queryRaw<{ deleted_at: Date | null; hidden_at: Date | null; merged_into_id: bigint | null; duplicate_of_id: bigint | null }[]>`
      SELECT deleted_at, hidden_at, merged_into_id, duplicate_of_id FROM threads WHERE id = ${id}`;
    if (!row || row.deleted_at || row.hidden_at) return invalid({ duplicateOf: ["messages.threadStates.noDuplicate"] });
    const next = row.merged_into_id ?? row.duplicate_of_id;
    if (!next) break;
    id = next;
  }
  if (id === threadId) return invalid({ duplicateOf: ["messages.threadStates.selfDuplicate"] });
  return ok(id);
}

/** Closes the locked thread now: its columns, its event and its audit row (the caller's transaction). */
async function applyClose(tx: Tx, actor: Member, thread: LockedThread, reason: CloseReason, duplicateOf: bigint | null, note: string, voters: string[]) {
  // The clock when the close happens (its row lock held), not the transaction's start: every answer that
  // got in before it committed earlier, so none is dated after the close (ADR 068).
  const [after] = await tx.$queryRaw<Partial<LockedThread>[]>`
    UPDATE threads SET closed_at = clock_timestamp(), closed_reason = ${reason}::"CloseReason", duplicate_of_id = ${duplicateOf}, close_round = close_round + 1
    WHERE id = ${thread.id}
    RETURNING id, author_id, category_id, closed_at, closed_reason::text AS closed_reason, duplicate_of_id, locked_at, pinned_at, pinned_globally, pinned_until, unlisted_at`;
  await recordEvent(tx, {
    type: "thread.closed",
    actorId: actor.id,
    subjectType: "thread",
    subjectId: thread.id.toString(),
    payload: { reason, duplicateOf: duplicateOf?.toString() ?? null, byVotes: voters.length > 0, authorId: thread.author_id },
  });
  await recordAudit(tx, {
    actor,
    action: reason === "duplicate" ? "thread.marked_duplicate" : "thread.closed",
    targetType: "thread",
    targetId: thread.id,
    reason: note || (voters.length > 0 ? `closed by ${voters.length} votes` : ""),
    before: stateSnapshot(thread),
    after: { ...stateSnapshot({ ...thread, ...after! }), ...(voters.length > 0 ? { voters } : {}) },
  });
}

async function applyReopen(tx: Tx, actor: Member, thread: LockedThread, note: string, voters: string[]) {
  const [after] = await tx.$queryRaw<Partial<LockedThread>[]>`
    UPDATE threads SET closed_at = NULL, closed_reason = NULL, duplicate_of_id = NULL, close_round = close_round + 1
    WHERE id = ${thread.id}
    RETURNING id, closed_at, closed_reason::text AS closed_reason, duplicate_of_id`;
  await recordEvent(tx, { type: "thread.reopened", actorId: actor.id, subjectType: "thread", subjectId: thread.id.toString(), payload: { byVotes: voters.length > 0, authorId: thread.author_id } });
  await recordAudit(tx, {
    actor,
    action: "thread.reopened",
    targetType: "thread",
    targetId: thread.id,
    reason: note || (voters.length > 0 ? `reopened by ${voters.length} votes` : ""),
    before: stateSnapshot(thread),
    after: { ...stateSnapshot({ ...thread, ...after! }), ...(voters.length > 0 ? { voters } : {}) },
  });
}

/** Records the member's vote of this round and returns this round's votes in that direction, oldest first. */
async function castCloseVote(tx: Tx, member: Member, thread: LockedThread, direction: "close" | "reopen", reason: CloseReason | null, duplicateOf: bigint | null) {
  const inserted = await tx.$executeRaw`
    INSERT INTO close_votes (thread_id, round, user_id, direction, reason, duplicate_of_id)
    VALUES (${thread.id}, ${thread.close_round}, ${member.id}, ${direction}, ${reason}::"CloseReason", ${duplicateOf})
    ON CONFLICT (thread_id, round, user_id) DO NOTHING`;
  const votes = await tx.$queryRaw<{ user_id: string; reason: CloseReason | null; duplicate_of_id: bigint | null }[]>`
    SELECT user_id, reason::text AS reason, duplicate_of_id FROM close_votes
    WHERE thread_id = ${thread.id} AND round = ${thread.close_round} AND direction = ${direction} ORDER BY created_at, user_id`;
  return { counted: inserted > 0, votes };
}

/** The reason most voters gave (the latest vote's among equals), with the original named by the latest duplicate vote. */
function majority(votes: { reason: CloseReason | null; duplicate_of_id: bigint | null }[]): { reason: CloseReason; duplicateOf: bigint | null } {
  const counts = new Map<CloseReason, number>();
  let best: CloseReason = votes.at(-1)?.reason ?? "off_topic";
  for (const v of votes) {
    if (!v.reason) continue;
    counts.set(v.reason, (counts.get(v.reason) ?? 0) + 1);
  }
  for (const v of votes) if (v.reason && (counts.get(v.reason) ?? 0) > (counts.get(best) ?? 0)) best = v.reason;
  const duplicateOf = best === "duplicate" ? ([...votes].reverse().find((v) => v.reason === "duplicate" && v.duplicate_of_id)?.duplicate_of_id ?? null) : null;
  return { reason: duplicateOf || best !== "duplicate" ? best : "off_topic", duplicateOf };
}

/**
 * Closes a thread with a reason (duplicate of another thread, off-topic, too broad, resolved
 * elsewhere): a closed thread takes no new answers and shows why it was closed. Moderators, staff and
 * admins close at once; members with the "vote to close" privilege (500) cast a vote, and the
 * THREAD_STATE_VOTES.closeVotesNeeded-th vote of the round closes it with the reason most voters gave.
 * One vote per member per thread per round (primary key); each close or reopen starts a new round.
 * "Mark duplicate" is closing with the reason duplicate: the original (followed through merges and
 * earlier duplicates) is shown in a banner and put first in search. Events: thread.closed. Audit:
 * thread.closed or thread.marked_duplicate, in the same transaction. Once per submission (ADR 030): a
 * copy of the same form gets the first answer, not "already closed" or "already voted".
 */
export async function closeThread(actorId: string, threadId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<CloseOutcome>> {
  const again = await earlierAnswer<CloseOutcome>(submission);
  if (again) return again;
  const parsed = CloseSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  const moderator = canManageThreadState(member);
  if (!member || (!moderator && !canVoteToClose(member))) return forbidden("messages.threadStates.closeReputation");
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<CloseOutcome>> => {
    const thread = await lockThread(tx, threadId);
    if (!isActionable(thread) || (thread.hidden_at && !moderator)) return notFound("messages.common.questionGone");
    if (thread.closed_at) return conflict("messages.threadStates.alreadyClosed");
    let duplicateOf: bigint | null = null;
    if (parsed.data.duplicateOf !== null) {
      const original = await resolveOriginal(tx, threadId, parsed.data.duplicateOf);
      if (!original.ok) return original;
      duplicateOf = original.value;
    }
    if (moderator) {
      await applyClose(tx, member, thread, parsed.data.reason, duplicateOf, parsed.data.note, []);
      return ok({ threadId, closed: true, votes: 0, needed: NEEDED });
    }
    const { counted, votes } = await castCloseVote(tx, member, thread, "close", parsed.data.reason, duplicateOf);
    if (!counted) return conflict("messages.threadStates.alreadyVotedClose");
    if (votes.length < NEEDED) return ok({ threadId, closed: false, votes: votes.length, needed: NEEDED });
    const decided = majority(votes);
    await applyClose(tx, member, thread, decided.reason, decided.duplicateOf, parsed.data.note, votes.map((v) => v.user_id));
    return ok({ threadId, closed: true, votes: votes.length, needed: NEEDED });
  }));
}

/**
 * Reopens a closed thread (a duplicate forgets its original). Moderators, staff and admins at once;
 * members with the "vote to close" privilege by THREAD_STATE_VOTES.closeVotesNeeded votes of the round.
 * Events: thread.reopened. Audit: thread.reopened.
 */
export async function reopenThread(actorId: string, threadId: bigint, input: unknown = {}, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<CloseOutcome>> {
  const again = await earlierAnswer<CloseOutcome>(submission);
  if (again) return again;
  const parsed = NoteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  const moderator = canManageThreadState(member);
  if (!member || (!moderator && !canVoteToClose(member))) return forbidden("messages.threadStates.reopenReputation");
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<CloseOutcome>> => {
    const thread = await lockThread(tx, threadId);
    if (!isActionable(thread) || (thread.hidden_at && !moderator)) return notFound("messages.common.questionGone");
    if (!thread.closed_at) return conflict("messages.threadStates.notClosed");
    if (moderator) {
      await applyReopen(tx, member, thread, parsed.data.note, []);
      return ok({ threadId, closed: false, votes: 0, needed: NEEDED });
    }
    const { counted, votes } = await castCloseVote(tx, member, thread, "reopen", null, null);
    if (!counted) return conflict("messages.threadStates.alreadyVotedReopen");
    if (votes.length < NEEDED) return ok({ threadId, closed: true, votes: votes.length, needed: NEEDED });
    await applyReopen(tx, member, thread, parsed.data.note, votes.map((v) => v.user_id));
    return ok({ threadId, closed: false, votes: votes.length, needed: NEEDED });
  }));
}
