import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { isActionable, lockThreads, stateSnapshot } from "./thread-row.server.ts";
import { canManageThreadState } from "./thread-states.policy.ts";
import { MergeSchema } from "./thread-states.schema.ts";

export type MergeOutcome = { targetId: bigint; targetSlug: string; movedAnswers: number };

/**
 * Merges a thread into another (moderators, staff and admins). The source's answers move to the
 * target with their votes, comments and revisions (post ids stay, so `#post-<id>` anchors keep
 * working); the source's comments on its question move to the target's question. The source stays as
 * a stub whose every URL answers 301 to the target (`merged_into_id`); its question post stays where it
 * is, so the votes on it and the reputation they earned do not change. Earlier merges into the source
 * and duplicates of it are re-pointed to the target, so a redirect is always one hop.
 *
 * Acceptance: one accepted answer survives, the target's, or (when the target has none) the source's,
 * which becomes the target's with its resolved time. Counters change in the same transaction as the
 * rows (answer_count counts live, shown answers as everywhere else; first_answer_at is the earlier).
 * The reputation handler reconciles the moved answers' ledger entries from the new state (the
 * acceptance that did not survive is reversed; an accepted answer now credits the target's asker),
 * so `reputation:verify` finds no drift. Both threads are locked in id order.
 * Event: thread.merged. Audit: thread.merged. Once per submission (ADR 030): a copy of the same form is
 * sent to the target too, rather than told the source is gone.
 */
export async function mergeThreads(actorId: string, sourceId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<MergeOutcome>> {
  const again = await earlierAnswer<MergeOutcome>(submission);
  if (again) return again;
  const parsed = MergeSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  if (!member || !canManageThreadState(member)) return forbidden("messages.threadStates.mergeForbidden");
  const targetId = parsed.data.target;
  if (targetId === sourceId) return invalid({ target: ["messages.threadStates.selfMerge"] });
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<MergeOutcome>> => {
    const locked = await lockThreads(tx, [sourceId, targetId]);
    const source = locked.get(sourceId);
    const target = locked.get(targetId);
    if (!isActionable(source)) return notFound("messages.common.questionGone");
    if (!isActionable(target) || target.hidden_at) return invalid({ target: ["messages.threadStates.noMergeTarget"] });

    // The source's acceptance goes first: the accepted answer's composite key points at (thread, post),
    // so the answer cannot change threads while the source still names it.
    const sourceAccepted = source.accepted_answer_id;
    if (sourceAccepted) await tx.$executeRaw`UPDATE threads SET accepted_answer_id = NULL, resolved_at = NULL WHERE id = ${sourceId}`;
    const moved = await tx.$queryRaw<{ id: bigint; live: boolean; created_at: Date }[]>`
      UPDATE posts SET thread_id = ${targetId} WHERE thread_id = ${sourceId} AND kind = 'answer'
      RETURNING id, deleted_at IS NULL AND hidden_at IS NULL AS live, created_at`;
    // Comments on the moved answers follow them; comments on the source's question go to the target's question.
    await tx.$executeRaw`
      UPDATE comments SET thread_id = ${targetId},
        post_id = CASE WHEN post_id = ${source.question_post_id} THEN ${target.question_post_id} ELSE post_id END
      WHERE thread_id = ${sourceId}`;
    const live = moved.filter((p) => p.live);
    const firstAnswerAt = live.reduce<Date | null>((min, p) => (min && min <= p.created_at ? min : p.created_at), null);
    const keepsSourceAcceptance = !!sourceAccepted && !target.accepted_answer_id;
    await tx.$executeRaw`
      UPDATE threads SET answer_count = answer_count + ${live.length}::int,
        first_answer_at = LEAST(first_answer_at, ${firstAnswerAt}::timestamptz(3)),
        last_activity_at = now(),
        accepted_answer_id = CASE WHEN ${keepsSourceAcceptance} THEN ${sourceAccepted}::bigint ELSE accepted_answer_id END,
        resolved_at = CASE WHEN ${keepsSourceAcceptance} THEN ${source.resolved_at}::timestamptz(3) ELSE resolved_at END
      WHERE id = ${targetId}`;
    // The source becomes a closed stub that redirects; earlier merges and duplicates point past it.
    await tx.$executeRaw`
      UPDATE threads SET merged_into_id = ${targetId}, answer_count = 0, first_answer_at = NULL, last_activity_at = now(),
        closed_at = COALESCE(closed_at, now()), closed_reason = 'duplicate', duplicate_of_id = ${targetId},
        pinned_at = NULL, pinned_globally = false, pinned_until = NULL
      WHERE id = ${sourceId}`;
    await tx.$executeRaw`UPDATE threads SET merged_into_id = ${targetId} WHERE merged_into_id = ${sourceId}`;
    await tx.$executeRaw`UPDATE threads SET duplicate_of_id = ${targetId} WHERE duplicate_of_id = ${sourceId} AND id <> ${targetId}`;
    await tx.$executeRaw`UPDATE threads SET duplicate_of_id = NULL, closed_at = NULL, closed_reason = NULL, close_round = close_round + 1 WHERE id = ${targetId} AND duplicate_of_id = ${sourceId}`;

    await recordEvent(tx, {
      type: "thread.merged",
      actorId: member.id,
      subjectType: "thread",
      subjectId: sourceId.toString(),
      payload: { targetId: targetId.toString(), movedPostIds: moved.map((p) => p.id.toString()), authorId: source.author_id },
    });
    await recordAudit(tx, {
      actor: member,
      action: "thread.merged",
      targetType: "thread",
      targetId: sourceId,
      reason: parsed.data.note,
      before: { ...stateSnapshot(source), acceptedAnswerId: sourceAccepted?.toString() ?? null, answers: moved.map((p) => p.id.toString()) },
      after: {
        mergedIntoId: targetId.toString(),
        targetAcceptedAnswerId: (keepsSourceAcceptance ? sourceAccepted : target.accepted_answer_id)?.toString() ?? null,
        acceptanceDropped: !!sourceAccepted && !keepsSourceAcceptance ? sourceAccepted.toString() : null,
      },
    });
    return ok({ targetId, targetSlug: target.slug, movedAnswers: moved.length });
  }));
}
