import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { invalid, ok, type Result } from "~/utils/http.server.ts";
import { NO_SUBMISSION_KEY, type Submission } from "~/utils/submission.server.ts";
import { runStateChange, type StateDone } from "./run-state-change.server.ts";
import { MoveSchema } from "./thread-states.schema.ts";

/**
 * Moves a thread to another category (moderators, staff and admins). Refused (400 on the field) into an
 * archived category or one that does not exist; the category row is locked (FOR KEY SHARE) so it
 * cannot be archived while the move commits. Moving to its own category changes nothing. Search (the
 * category filter) and badges (category expert) follow through the event. Event: thread.moved.
 * Audit: thread.moved.
 */
export async function moveThread(actorId: string, threadId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<StateDone>> {
  return runStateChange(actorId, threadId, MoveSchema, input, "messages.threadStates.moveForbidden", async (tx, { member, thread, data }) => {
    const [category] = await tx.$queryRaw<{ id: number; archived_at: Date | null }[]>`
      SELECT id, archived_at FROM categories WHERE id = ${data.categoryId} FOR KEY SHARE`;
    if (!category) return invalid({ categoryId: ["messages.threadStates.noCategory"] });
    if (category.archived_at) return invalid({ categoryId: ["messages.threadStates.archivedCategory"] });
    if (category.id === thread.category_id) return ok({ threadId, changed: false });
    await tx.$executeRaw`UPDATE threads SET category_id = ${category.id} WHERE id = ${threadId}`;
    await recordEvent(tx, { type: "thread.moved", actorId: member.id, subjectType: "thread", subjectId: threadId.toString(), payload: { from: thread.category_id, to: category.id } });
    await recordAudit(tx, {
      actor: member, action: "thread.moved", targetType: "thread", targetId: threadId, reason: data.note,
      before: { categoryId: thread.category_id }, after: { categoryId: category.id },
    });
    return ok({ threadId, changed: true });
  }, submission);
}
