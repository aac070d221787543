import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { forbidden, notFound, ok, type Result } from "~/utils/http.server.ts";
import { loadMember } from "./members.server.ts";
import { canAccept } from "./questions.policy.ts";
import { TOUCH_LAST_ACTIVITY } from "~/modules/thread-states/thread-row.server.ts";

type LockedThread = { id: bigint; author_id: string; accepted_answer_id: bigint | null; deleted_at: Date | null; hidden_at: Date | null; answer_here: boolean };

/** The thread, locked, and whether `answerId` (if given) is a live answer of it. */
async function lockThread(tx: Tx, threadId: bigint, answerId: bigint | null = null): Promise<LockedThread | undefined> {
  const rows = await tx.$queryRaw<LockedThread[]>`
    SELECT t.id, t.author_id, t.accepted_answer_id, t.deleted_at, t.hidden_at,
      EXISTS (SELECT 1 FROM posts p WHERE p.id = ${answerId}::bigint AND p.thread_id = t.id AND p.kind = 'answer' AND p.deleted_at IS NULL AND p.hidden_at IS NULL) AS answer_here
    FROM threads t WHERE t.id = ${threadId} FOR NO KEY UPDATE OF t`;
  const thread = rows[0];
  return thread && !thread.deleted_at && !thread.hidden_at ? thread : undefined;
}

/** Sets (or clears) the accepted answer; resolved_at follows it; last activity as TOUCH_LAST_ACTIVITY says. */
async function setAccepted(tx: Tx, threadId: bigint, answerId: bigint | null): Promise<void> {
  await tx.$executeRaw`
    UPDATE threads SET accepted_answer_id = ${answerId}::bigint, resolved_at = CASE WHEN ${answerId}::bigint IS NULL THEN NULL ELSE now() END, ${TOUCH_LAST_ACTIVITY}
    WHERE id = ${threadId}`;
}

/**
 * Marks `answerId` as the accepted answer of `threadId`, replacing any earlier one. Rules: only the
 * asker, a moderator or staff; the answer must be a live answer OF THIS THREAD (an answer of another
 * thread is "not found" and nothing changes; the database refuses it too with a composite foreign
 * key). The thread row is locked so concurrent accepts apply one after the other. Events:
 * answer.unaccepted for a replaced answer (a reopen), answer.accepted. Audit (ADR 050):
 * thread.acceptance_changed_by_other when a moderator or staff member decides for the asker.
 */
export async function acceptAnswer(actorId: string, threadId: bigint, answerId: bigint): Promise<Result<{ acceptedAnswerId: bigint; previous: bigint | null }>> {
  const member = await loadMember(actorId);
  return prisma.$transaction(async (tx): Promise<Result<{ acceptedAnswerId: bigint; previous: bigint | null }>> => {
    const thread = await lockThread(tx, threadId, answerId);
    if (!thread) return notFound("messages.common.questionGone");
    if (!canAccept(member, { authorId: thread.author_id })) return forbidden("messages.questions.acceptForbidden");
    if (!thread.answer_here) return notFound("messages.questions.answerElsewhere");
    const previous = thread.accepted_answer_id;
    if (previous === answerId) return ok({ acceptedAnswerId: answerId, previous });
    await setAccepted(tx, threadId, answerId);
    if (previous !== null) {
      await recordEvent(tx, { type: "answer.unaccepted", actorId, subjectType: "post", subjectId: previous.toString(), payload: { threadId: threadId.toString(), reason: "changed", replacedBy: answerId.toString() } });
    }
    await recordEvent(tx, { type: "answer.accepted", actorId, subjectType: "post", subjectId: answerId.toString(), payload: { threadId: threadId.toString(), previous: previous?.toString() ?? null } });
    if (actorId !== thread.author_id) {
      await recordAudit(tx, { actor: { id: actorId }, action: "thread.acceptance_changed_by_other", targetType: "thread", targetId: threadId, before: { acceptedAnswerId: previous }, after: { acceptedAnswerId: answerId } });
    }
    return ok({ acceptedAnswerId: answerId, previous });
  });
}

/**
 * Withdraws the accepted answer: the thread is unresolved again, which counts as a reopen.
 * Same permission as accepting. Event: answer.unaccepted. Audit as for accepting.
 */
export async function unacceptAnswer(actorId: string, threadId: bigint): Promise<Result<{ withdrawn: bigint | null }>> {
  const member = await loadMember(actorId);
  return prisma.$transaction(async (tx): Promise<Result<{ withdrawn: bigint | null }>> => {
    const thread = await lockThread(tx, threadId);
    if (!thread) return notFound("messages.common.questionGone");
    if (!canAccept(member, { authorId: thread.author_id })) return forbidden("messages.questions.unacceptForbidden");
    const previous = thread.accepted_answer_id;
    if (previous === null) return ok({ withdrawn: null });
    await setAccepted(tx, threadId, null);
    await recordEvent(tx, { type: "answer.unaccepted", actorId, subjectType: "post", subjectId: previous.toString(), payload: { threadId: threadId.toString(), reason: "withdrawn" } });
    if (actorId !== thread.author_id) {
      await recordAudit(tx, { actor: { id: actorId }, action: "thread.acceptance_changed_by_other", targetType: "thread", targetId: threadId, before: { acceptedAnswerId: previous }, after: { acceptedAnswerId: null } });
    }
    return ok({ withdrawn: previous });
  });
}
