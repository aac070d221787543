import { recordEvent } from "~/modules/events/record-event.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { canVote } from "~/modules/questions/questions.policy.ts";
import { VoteSchema } from "~/modules/questions/questions.schema.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";

export type VoteOutcome = { score: number; myVote: -1 | 0 | 1 };

/**
 * Casts (+1/-1), changes or withdraws (0) the actor's vote on a post. Rules: one vote per member per
 * post (primary key), never on your own post, downvotes need their privilege. The post row is locked
 * (FOR NO KEY UPDATE) so concurrent votes apply one after another and the score changes in the same
 * transaction as the vote row; a question's score is mirrored on its thread. Events: vote.cast
 * (with the previous value), vote.withdrawn.
 */
export async function castVote(actorId: string, postId: bigint, input: unknown): Promise<Result<VoteOutcome>> {
  const parsed = VoteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const value = parsed.data.value as -1 | 0 | 1;
  const member = await loadMember(actorId);

  return prisma.$transaction(async (tx): Promise<Result<VoteOutcome>> => {
    const rows = await tx.$queryRaw<{ id: bigint; thread_id: bigint; kind: string; author_id: string; score: number; deleted_at: Date | null; hidden_at: Date | null }[]>`
      SELECT id, thread_id, kind::text AS kind, author_id, score, deleted_at, hidden_at FROM posts WHERE id = ${postId} FOR NO KEY UPDATE`;
    const post = rows[0];
    if (!post || post.deleted_at || post.hidden_at) return notFound("This post does not exist or was removed");
    if (!canVote(member, { authorId: post.author_id }, value)) {
      return forbidden(post.author_id === actorId ? "You cannot vote on your own post" : "You are not allowed to cast this vote");
    }
    const existing = await tx.vote.findUnique({ where: { postId_userId: { postId, userId: actorId } }, select: { value: true } });
    const previous = (existing?.value ?? 0) as -1 | 0 | 1;
    if (previous === value) return ok({ score: post.score, myVote: value });

    if (value === 0) await tx.vote.delete({ where: { postId_userId: { postId, userId: actorId } } });
    else if (existing) await tx.vote.update({ where: { postId_userId: { postId, userId: actorId } }, data: { value, updatedAt: new Date() } });
    else await tx.vote.create({ data: { postId, userId: actorId, value } });

    const delta = value - previous;
    const updated = await tx.post.update({ where: { id: postId }, data: { score: { increment: delta } }, select: { score: true } });
    if (post.kind === "question") await tx.thread.update({ where: { id: post.thread_id }, data: { score: updated.score } });
    await recordEvent(tx, {
      type: value === 0 ? "vote.withdrawn" : "vote.cast",
      actorId,
      subjectType: "post",
      subjectId: postId.toString(),
      payload: { value, previous, authorId: post.author_id, kind: post.kind, threadId: post.thread_id.toString() },
    });
    return ok({ score: updated.score, myVote: value });
  });
}
