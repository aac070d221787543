import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { ok, type Result } from "~/utils/http.server.ts";
import { NO_SUBMISSION_KEY, type Submission } from "~/utils/submission.server.ts";
import { runStateChange, type StateDone } from "./run-state-change.server.ts";
import { stateSnapshot } from "./thread-row.server.ts";
import { NoteSchema } from "./thread-states.schema.ts";

/**
 * Locks a thread (moderators, staff and admins), or unlocks it. A locked thread takes no new answers,
 * comments or votes from members (stateRefusal in thread-states.policy.ts, asked by postAnswer,
 * addComment and castVote with the thread read they already make); moderators, staff and admins
 * still act. Locking a locked thread changes nothing and writes nothing. No event (nothing
 * reacts to it). Audit: thread.locked / thread.unlocked.
 */
export async function setThreadLocked(actorId: string, threadId: bigint, locked: boolean, input: unknown = {}, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<StateDone>> {
  return runStateChange(actorId, threadId, NoteSchema, input, "messages.threadStates.lockForbidden", async (tx, { member, thread, data }) => {
    if (!!thread.locked_at === locked) return ok({ threadId, changed: false });
    const [row] = await tx.$queryRaw<{ locked_at: Date | null }[]>`
      UPDATE threads SET locked_at = CASE WHEN ${locked} THEN clock_timestamp() END WHERE id = ${threadId} RETURNING locked_at`;
    await recordAudit(tx, {
      actor: member,
      action: locked ? "thread.locked" : "thread.unlocked",
      targetType: "thread",
      targetId: threadId,
      reason: data.note,
      before: { lockedAt: stateSnapshot(thread).lockedAt },
      after: { lockedAt: row!.locked_at?.toISOString() ?? null },
    });
    return ok({ threadId, changed: true });
  }, submission);
}
