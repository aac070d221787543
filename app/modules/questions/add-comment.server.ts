import { knownMentions } from "~/modules/content/mentions.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { STATE_REFUSAL_MESSAGES, stateRefusal } from "~/modules/thread-states/thread-states.policy.ts";
import { lockThreadForWrite, TOUCH_LAST_ACTIVITY, writeStateOf } from "~/modules/thread-states/thread-row.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { loadMember } from "./members.server.ts";
import { canComment } from "./questions.policy.ts";
import { CommentSchema } from "./questions.schema.ts";

/**
 * Adds a short plain-text comment to a question or an answer (links are made clickable when shown).
 * Rules: 2-600 characters; the post must be live; commenting outside your own thread needs the
 * "comment everywhere" privilege. Mentions of active members (@handle) are kept with it, to show as
 * profile links and to notify them. A repeat of the same form submission, even at the same moment,
 * adds nothing and gets the first answer (ADR 030). A locked thread (unless by a moderator) or a merged
 * one takes no comment: 409 (ADR 048), checked again under the thread's row lock (ADR 068). Event: comment.added.
 */
export async function addComment(actorId: string, postId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ commentId: bigint; threadId: bigint }>> {
  const again = await earlierAnswer<{ commentId: bigint; threadId: bigint }>(submission);
  if (again) return again;
  const parsed = CommentSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  const post = await prisma.post.findUnique({ where: { id: postId }, select: { id: true, authorId: true, threadId: true, deletedAt: true, hiddenAt: true, thread: { select: { authorId: true, deletedAt: true, hiddenAt: true, closedAt: true, lockedAt: true, mergedIntoId: true } } } });
  if (!post || post.deletedAt || post.hiddenAt || post.thread.deletedAt || post.thread.hiddenAt) return notFound("messages.common.postGone");
  if (!canComment(member, post.thread, post)) return forbidden("messages.questions.commentReputation");
  const refusal = stateRefusal(member, post.thread, "comment");
  if (refusal) return conflict(STATE_REFUSAL_MESSAGES[refusal]);
  const mentions = await knownMentions(parsed.data.body);
  return prisma.$transaction((tx) =>
    submitOnce(tx, submission, async (): Promise<Result<{ commentId: bigint; threadId: bigint }>> => {
      // Checked again under the thread's lock (ADR 068): a lock or merge committed since the read above refuses it.
      const locked = await lockThreadForWrite(tx, post.threadId, "update");
      if (!locked || locked.deleted_at || locked.hidden_at) return notFound("messages.common.postGone");
      const lockedRefusal = stateRefusal(member, writeStateOf(locked), "comment");
      if (lockedRefusal) return conflict(STATE_REFUSAL_MESSAGES[lockedRefusal]);
      const comment = await tx.comment.create({ data: { threadId: post.threadId, postId, authorId: actorId, body: parsed.data.body, mentions }, select: { id: true } });
      await tx.$executeRaw`UPDATE threads SET ${TOUCH_LAST_ACTIVITY} WHERE id = ${post.threadId}`;
      await recordEvent(tx, { type: "comment.added", actorId, subjectType: "post", subjectId: postId.toString(), payload: { commentId: comment.id.toString(), threadId: post.threadId.toString() } });
      return ok({ commentId: comment.id, threadId: post.threadId });
    }),
  );
}
