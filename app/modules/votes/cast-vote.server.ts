import { recordEvent } from "~/modules/events/record-event.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { canVote } from "~/modules/questions/questions.policy.ts";
import { VoteSchema } from "~/modules/questions/questions.schema.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { lockThreadForWrite } from "~/modules/thread-states/thread-row.server.ts";
import { STATE_REFUSAL_MESSAGES, stateRefusal } from "~/modules/thread-states/thread-states.policy.ts";

export type VoteOutcome = { score: number; myVote: -1 | 0 | 1 };

/**
 * Casts (+1/-1), changes or withdraws (0) the actor's vote on a post. Rules: one vote per member per
 * post (primary key), never on your own post, downvotes need their privilege. The post row is locked
 * (FOR NO KEY UPDATE) so concurrent votes apply one after another and the score changes in the same
 * transaction as the vote row; a question's score is mirrored on its thread. Events: vote.cast
 * (with the previous value), vote.withdrawn. A locked thread takes no votes except from moderators (409, ADR 048), checked under the
 * thread's row lock (ADR 068).
 */
export async function castVote(actorId: string, postId: bigint, input: unknown): Promise<Result<VoteOutcome>> {
  const parsed = VoteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const value = parsed.data.value as -1 | 0 | 1;
  const member = await loadMember(actorId);

  return prisma.$transaction(async (tx): Promise<Result<VoteOutcome>> => {
    // The thread first, locked (ADR 068): a lock or merge of the thread and this vote apply one after the
    // other. FOR SHARE for an answer's vote (votes on answers never wait for each other); a question's vote
    // updates the thread's score, so it takes that lock at once. The thread before the post, as every
    // thread-state change locks them. The post's thread_id may change only by a merge, which marks the
    // locked thread merged: the state check below then refuses.
    const [ref] = await tx.$queryRaw<{ thread_id: bigint; kind: string }[]>`SELECT thread_id, kind::text AS kind FROM posts WHERE id = ${postId}`;
    if (!ref) return notFound("messages.common.postGone");
    const thread = await lockThreadForWrite(tx, ref.thread_id, ref.kind === "question" ? "update" : "share");
    if (!thread) return notFound("messages.common.postGone");
    // The post, locked, with the actor's current vote on it.
    const rows = await tx.$queryRaw<{
      thread_id: bigint; kind: "question" | "answer"; author_id: string; score: number; deleted_at: Date | null; hidden_at: Date | null; my_vote: number | null;
    }[]>`
      SELECT p.thread_id, p.kind::text AS kind, p.author_id, p.score, p.deleted_at, p.hidden_at, v.value AS my_vote
      FROM posts p LEFT JOIN votes v ON v.post_id = p.id AND v.user_id = ${actorId}
      WHERE p.id = ${postId} FOR NO KEY UPDATE OF p`;
    const post = rows[0];
    if (!post || post.deleted_at || post.hidden_at) return notFound("messages.common.postGone");
    if (!canVote(member, { authorId: post.author_id }, value)) {
      return forbidden(post.author_id === actorId ? "messages.votes.own" : "messages.votes.forbidden");
    }
    const refusal = stateRefusal(member, { closedAt: null, lockedAt: thread.locked_at, mergedIntoId: post.thread_id === ref.thread_id ? thread.merged_into_id : post.thread_id }, "vote");
    if (refusal) return conflict(STATE_REFUSAL_MESSAGES[refusal]);
    const previous = (post.my_vote ?? 0) as -1 | 0 | 1;
    if (previous === value) return ok({ score: post.score, myVote: value });

    // The vote row, the post's score and (for a question) the thread's score: one statement.
    const change =
      value === 0
        ? Prisma.sql`DELETE FROM votes WHERE post_id = ${postId} AND user_id = ${actorId}`
        : Prisma.sql`INSERT INTO votes (post_id, user_id, value, created_at, updated_at) VALUES (${postId}, ${actorId}, ${value}::smallint, now(), now())
                     ON CONFLICT (post_id, user_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`;
    const [updated] = await tx.$queryRaw<{ score: number }[]>`
      WITH vote AS (${change}),
      post AS (UPDATE posts SET score = score + ${value - previous}::int WHERE id = ${postId} RETURNING score, thread_id),
      thread AS (UPDATE threads t SET score = post.score FROM post WHERE ${post.kind === "question"} AND t.id = post.thread_id)
      SELECT score FROM post`;
    await recordEvent(tx, {
      type: value === 0 ? "vote.withdrawn" : "vote.cast",
      actorId,
      subjectType: "post",
      subjectId: postId.toString(),
      payload: { value, previous, authorId: post.author_id, kind: post.kind, threadId: post.thread_id.toString() },
    });
    return ok({ score: updated!.score, myVote: value });
  });
}
