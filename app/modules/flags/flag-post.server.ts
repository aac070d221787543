import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { lockPost, setLockedPostHidden } from "~/modules/questions/moderate-post.server.ts";
import type { Member } from "~/modules/questions/questions.policy.ts";
import { FLAGS, hasPrivilege } from "~/modules/reputation/thresholds.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { canFlag, canReview } from "./flags.policy.ts";
import { FlagSchema, HIDING_REASONS, type FlagReason } from "./flags.schema.ts";

/**
 * What one flag of this member counts toward hiding a post (FLAGS in thresholds.ts, ADR 046):
 * a moderator, staff member or admin hides on their own (FLAGS.hideWeight); a member below
 * THRESHOLDS.flagToHide counts 0 (their flag still goes to the queue); a member above counts 1, or,
 * once FLAGS.distrustAfterDisagreed of their decided flags were disagreed with, agreed ÷ decided.
 */
export async function flagWeight(db: Tx | typeof prisma, member: Member): Promise<number> {
  if (canReview(member)) return FLAGS.hideWeight;
  if (!hasPrivilege(member, "flagToHide")) return 0;
  const [row] = await db.$queryRaw<{ agreed: number; disagreed: number }[]>`
    SELECT COUNT(*) FILTER (WHERE status = 'agreed')::int AS agreed, COUNT(*) FILTER (WHERE status = 'disagreed')::int AS disagreed
    FROM post_flags WHERE flagger_id = ${member.id}`;
  const { agreed, disagreed } = row ?? { agreed: 0, disagreed: 0 };
  if (disagreed < FLAGS.distrustAfterDisagreed) return 1;
  return agreed / (agreed + disagreed);
}

/**
 * A member flags a post with a reason (issue 19). One flag per member per post (a second one is a
 * conflict, kept by the unique key); not your own post; not a post you cannot see. A spam or abuse
 * flag hides the post at once, pending review, when the pending spam and abuse flags on it weigh
 * FLAGS.hideWeight together (flagWeight): a moderator's flag alone, or three trusted members. Hiding
 * by members' flags is the system's act (audit actor null), a moderator's flag is theirs.
 * Events: post.hidden (and what hiding brings: thread.hidden, answer.unaccepted). Once per submission
 * (ADR 030): a copy of the same form gets the first answer, not the conflict of a second flag.
 */
export async function flagPost(actorId: string, postId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ flagId: bigint; hidden: boolean }>> {
  const again = await earlierAnswer<{ flagId: bigint; hidden: boolean }>(submission);
  if (again) return again;
  const parsed = FlagSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  if (!member || member.status !== "active") return forbidden("messages.flags.signIn");
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<{ flagId: bigint; hidden: boolean }>> => {
    const post = await lockPost(tx, postId);
    const [thread] = post ? await tx.$queryRaw<{ hidden_at: Date | null; deleted_at: Date | null }[]>`SELECT hidden_at, deleted_at FROM threads WHERE id = ${post.thread_id}` : [];
    // What a member cannot see does not exist for them (the same 404 as a post that never existed).
    const visible = post && !post.deleted_at && thread && !thread.deleted_at && ((!post.hidden_at && !thread.hidden_at) || canReview(member));
    if (!post || !visible) return notFound("messages.common.postGone");
    if (!canFlag(member, { authorId: post.author_id })) return forbidden("messages.flags.own");
    const weight = await flagWeight(tx, member);
    const [flag] = await tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO post_flags (post_id, flagger_id, reason, detail, weight)
      VALUES (${postId}, ${actorId}, ${parsed.data.reason}, ${parsed.data.detail}, ${weight})
      ON CONFLICT (post_id, flagger_id) DO NOTHING RETURNING id`;
    if (!flag) return conflict("messages.flags.already");
    let hidden = false;
    if (HIDING_REASONS.has(parsed.data.reason) && !post.hidden_at) {
      const [sum] = await tx.$queryRaw<{ weight: number; reasons: FlagReason[] }[]>`
        SELECT COALESCE(SUM(weight), 0)::float8 AS weight, array_agg(DISTINCT reason) AS reasons
        FROM post_flags WHERE post_id = ${postId} AND status = 'pending' AND reason IN ('spam', 'rude')`;
      if (sum && sum.weight >= FLAGS.hideWeight - 1e-9) {
        const byModerator = canReview(member);
        const reason = `Hidden by flags (${sum.reasons.join(", ")}) pending review`;
        await setLockedPostHidden(tx, post, byModerator ? actorId : null, true, reason);
        await recordAudit(tx, {
          actor: byModerator ? { id: actorId } : null,
          action: "post.hidden",
          targetType: "post",
          targetId: postId,
          reason,
          before: { hiddenAt: null },
          after: { hiddenAt: new Date().toISOString(), flagWeight: sum.weight },
        });
        hidden = true;
      }
    }
    return ok({ flagId: flag.id, hidden });
  }));
}
