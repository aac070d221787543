import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { deleteLockedPost, lockPost, setLockedPostHidden } from "~/modules/questions/moderate-post.server.ts";
import { restrictAccount } from "~/modules/users/set-suspension.server.ts";
import { canSuspend } from "~/modules/users/users.policy.ts";
import type { Actor, Role } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { canReview } from "./flags.policy.ts";
import { DecisionSchema } from "./flags.schema.ts";

export type ReviewOutcome = { postId: string; decision: "agree" | "disagree"; outcome: "hide" | "delete" | "show"; suspendedUntil: string | null; suspended: boolean };

/**
 * A moderator decides one review item (issue 19):
 * - agree: the pending flags are agreed with, and the post is hidden or deleted; optionally its author
 *   is suspended in the same transaction (for `suspendDays`, or indefinitely), if the moderator may
 *   suspend them (canSuspend: a moderator cannot suspend staff or admins). Audit: flags.agreed (and
 *   user.suspended). A held post (first post, spam check) is rejected the same way.
 * - disagree: the pending flags are disagreed with (their flaggers lose weight, FLAGS) and a post hidden
 *   by flags or held for review is shown. Audit: flags.disagreed, or post.approved for a held post
 *   without flags.
 * Skipping writes nothing (the queue moves past the item). An item already decided by someone else
 * is a conflict: nothing changes twice. Event: flags.decided (the flaggers and the author are told, ADR 046),
 * besides those of hiding, deleting and suspending. Once per submission (ADR 030): a copy of the same form
 * (a double click, a resent POST) gets the first answer, not "already decided".
 */
export async function decideReview(actor: Actor, postId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<ReviewOutcome>> {
  const again = await earlierAnswer<ReviewOutcome>(submission);
  if (again) return again;
  const parsed = DecisionSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  if (!canReview(actor)) return forbidden("messages.flags.reviewForbidden");
  const decision = parsed.data;
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<ReviewOutcome>> => {
    const post = await lockPost(tx, postId);
    if (!post || post.deleted_at) return notFound("messages.common.postDeleted");
    const [state] = await tx.$queryRaw<{ held_for: string | null; pending: number; reasons: string[] | null; author_role: Role }[]>`
      SELECT p.held_for, u.role::text AS author_role,
        (SELECT COUNT(*)::int FROM post_flags f WHERE f.post_id = p.id AND f.status = 'pending') AS pending,
        (SELECT array_agg(DISTINCT f.reason) FROM post_flags f WHERE f.post_id = p.id AND f.status = 'pending') AS reasons
      FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = ${postId}`;
    if (!state || (state.pending === 0 && state.held_for === null)) return conflict("messages.flags.decided");
    const before = { hidden: post.hidden_at !== null, heldFor: state.held_for, pendingFlags: state.pending, reasons: state.reasons ?? [] };
    const what = [...(state.reasons ?? []), ...(state.held_for ? [`held: ${state.held_for}`] : [])].join(", ");
    await tx.$executeRaw`
      UPDATE post_flags SET status = ${decision.decision === "agree" ? "agreed" : "disagreed"}, decided_at = now(), decided_by_id = ${actor.id}
      WHERE post_id = ${postId} AND status = 'pending'`;
    // The flags just decided carry the transaction's now(): the notifications find their flaggers by it.
    const [{ now }] = await tx.$queryRaw<{ now: Date }[]>`SELECT now()::timestamptz(3) AS now`;
    const decided = (d: "agreed" | "disagreed" | "approved", outcome: "hide" | "delete" | "show") =>
      recordEvent(tx, { type: "flags.decided", actorId: actor.id, subjectType: "post", subjectId: postId.toString(), payload: { threadId: post.thread_id.toString(), decision: d, outcome, decidedAt: now.toISOString(), authorId: post.author_id } });

    if (decision.decision === "disagree") {
      await setLockedPostHidden(tx, post, actor.id, false, `Flags disagreed with (${what})`);
      await recordAudit(tx, {
        actor: { id: actor.id },
        action: state.pending === 0 ? "post.approved" : "flags.disagreed",
        targetType: "post",
        targetId: postId,
        reason: what,
        before,
        after: { hidden: false, heldFor: null, pendingFlags: 0 },
      });
      await decided(state.pending === 0 ? "approved" : "disagreed", "show");
      return ok({ postId: postId.toString(), decision: "disagree", outcome: "show", suspendedUntil: null, suspended: false });
    }

    if (decision.suspend && !canSuspend(actor, { id: post.author_id, role: state.author_role })) {
      throw new ForbiddenSuspension();
    }
    const reason = `Flags agreed with (${what})`;
    if (decision.outcome === "delete") {
      await deleteLockedPost(tx, post, actor.id, reason);
    } else {
      await setLockedPostHidden(tx, post, actor.id, true, reason);
      if (state.held_for) await tx.post.update({ where: { id: postId }, data: { heldFor: null } });
    }
    await recordAudit(tx, {
      actor: { id: actor.id },
      action: "flags.agreed",
      targetType: "post",
      targetId: postId,
      reason: what,
      before,
      after: { hidden: decision.outcome === "hide", deleted: decision.outcome === "delete", heldFor: null, pendingFlags: 0, authorSuspended: decision.suspend },
    });
    await decided("agreed", decision.outcome);
    let suspendedUntil: string | null = null;
    if (decision.suspend) {
      const restricted = await restrictAccount(tx, actor, post.author_id, { mode: "suspend", suspend: true, days: decision.suspendDays, reason: decision.suspendReason || `Post ${postId}: ${what}` });
      if (!restricted.ok) throw new ForbiddenSuspension();
      suspendedUntil = restricted.value.until;
    }
    return ok({ postId: postId.toString(), decision: "agree", outcome: decision.outcome, suspendedUntil, suspended: decision.suspend });
  })).catch((error: unknown) => {
    // Refused after the transaction began: it rolled back, so nothing of the decision was written.
    if (error instanceof ForbiddenSuspension) return forbidden("messages.common.cannotSuspend");
    throw error;
  });
}

class ForbiddenSuspension extends Error {
  constructor() {
    super("forbidden suspension");
  }
}
