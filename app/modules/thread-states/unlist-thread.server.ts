import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { ok, type Result } from "~/utils/http.server.ts";
import { NO_SUBMISSION_KEY, type Submission } from "~/utils/submission.server.ts";
import { runStateChange, type StateDone } from "./run-state-change.server.ts";
import { NoteSchema } from "./thread-states.schema.ts";

/**
 * Unlists a thread (moderators, staff and admins), or lists it again. An unlisted thread
 * (`threads.unlisted_at` set) is still reachable by its link, but no list shows it (listThreads), search
 * drops it (its search document turns invisible through the event) and sitemaps must leave it out.
 * Events: thread.unlisted / thread.listed. Audit: thread.unlisted / thread.listed.
 */
export async function setThreadUnlisted(actorId: string, threadId: bigint, unlisted: boolean, input: unknown = {}, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<StateDone>> {
  return runStateChange(actorId, threadId, NoteSchema, input, "messages.threadStates.unlistForbidden", async (tx, { member, thread, data }) => {
    if (!!thread.unlisted_at === unlisted) return ok({ threadId, changed: false });
    const [row] = await tx.$queryRaw<{ unlisted_at: Date | null }[]>`
      UPDATE threads SET unlisted_at = ${unlisted ? new Date() : null}::timestamptz(3) WHERE id = ${threadId} RETURNING unlisted_at`;
    await recordEvent(tx, { type: unlisted ? "thread.unlisted" : "thread.listed", actorId: member.id, subjectType: "thread", subjectId: threadId.toString(), payload: {} });
    await recordAudit(tx, {
      actor: member, action: unlisted ? "thread.unlisted" : "thread.listed", targetType: "thread", targetId: threadId, reason: data.note,
      before: { unlistedAt: thread.unlisted_at?.toISOString() ?? null }, after: { unlistedAt: row!.unlisted_at?.toISOString() ?? null },
    });
    return ok({ threadId, changed: true });
  }, submission);
}
