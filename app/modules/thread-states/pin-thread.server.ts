import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { invalid, ok, type Result } from "~/utils/http.server.ts";
import { NO_SUBMISSION_KEY, type Submission } from "~/utils/submission.server.ts";
import { runStateChange, type StateDone } from "./run-state-change.server.ts";
import { NoteSchema, PinSchema } from "./thread-states.schema.ts";

const pinOf = (t: { pinned_at: Date | null; pinned_globally: boolean; pinned_until: Date | null }) => ({
  pinnedAt: t.pinned_at?.toISOString() ?? null,
  pinnedGlobally: t.pinned_globally,
  pinnedUntil: t.pinned_until?.toISOString() ?? null,
});

/**
 * Pins a thread at the top of its category's list, or of every list (`scope: "global"`), until an
 * optional end (moderators, staff and admins). An ended pin simply stops showing: lists read pins with
 * `pinned_until > now()`, so nothing has to run at the end. Pinning again changes the scope or the end.
 * A hidden or unlisted thread can be pinned but shows in no list until it is visible. Audit: thread.pinned.
 */
export async function pinThread(actorId: string, threadId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<StateDone>> {
  return runStateChange(actorId, threadId, PinSchema, input, "messages.threadStates.pinForbidden", async (tx, { member, thread, data }) => {
    if (data.until && data.until.getTime() <= Date.now()) return invalid({ until: ["messages.threadStates.endInPast"] });
    const [row] = await tx.$queryRaw<{ pinned_at: Date | null; pinned_globally: boolean; pinned_until: Date | null }[]>`
      UPDATE threads SET pinned_at = COALESCE(pinned_at, now()), pinned_globally = ${data.scope === "global"}, pinned_until = ${data.until}::timestamptz(3)
      WHERE id = ${threadId} RETURNING pinned_at, pinned_globally, pinned_until`;
    await recordAudit(tx, { actor: member, action: "thread.pinned", targetType: "thread", targetId: threadId, reason: data.note, before: pinOf(thread), after: pinOf(row!) });
    return ok({ threadId, changed: true });
  }, submission);
}

/** Takes a pin off (moderators, staff and admins); an unpinned thread changes nothing. Audit: thread.unpinned. */
export async function unpinThread(actorId: string, threadId: bigint, input: unknown = {}, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<StateDone>> {
  return runStateChange(actorId, threadId, NoteSchema, input, "messages.threadStates.unpinForbidden", async (tx, { member, thread, data }) => {
    if (!thread.pinned_at) return ok({ threadId, changed: false });
    await tx.$executeRaw`UPDATE threads SET pinned_at = NULL, pinned_globally = false, pinned_until = NULL WHERE id = ${threadId}`;
    await recordAudit(tx, {
      actor: member, action: "thread.unpinned", targetType: "thread", targetId: threadId, reason: data.note,
      before: pinOf(thread), after: { pinnedAt: null, pinnedGlobally: false, pinnedUntil: null },
    });
    return ok({ threadId, changed: true });
  }, submission);
}
