import { z } from "zod";
import { bytesForChars } from "~/modules/content/text-limits.ts";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { loadMember } from "./members.server.ts";
import { canDeletePost, canModerate } from "./questions.policy.ts";

const ReasonSchema = z.object({
  reason: typedText(bytesForChars(300), "messages.common.reason300").pipe(z.string().max(300, "messages.common.reason300")).optional().default(""),
});

export type LockedPost = {
  id: bigint; thread_id: bigint; kind: "question" | "answer"; author_id: string; deleted_at: Date | null; hidden_at: Date | null;
  accepted_answer_id: bigint | null; answer_count: number;
};

/** The post and its thread, both locked, so counters and acceptance change one request at a time. */
export async function lockPost(tx: Tx, postId: bigint): Promise<LockedPost | undefined> {
  const rows = await tx.$queryRaw<LockedPost[]>`
    SELECT p.id, p.thread_id, p.kind::text AS kind, p.author_id, p.deleted_at, p.hidden_at, t.accepted_answer_id, t.answer_count
    FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = ${postId} FOR NO KEY UPDATE OF p, t`;
  return rows[0];
}

/** Takes back the acceptance of an answer that is going away (a reopen, as a withdrawal is). */
async function dropAcceptance(tx: Tx, post: LockedPost, actorId: string | null, reason: "deleted" | "hidden") {
  if (post.kind !== "answer" || post.accepted_answer_id !== post.id) return;
  await tx.thread.update({ where: { id: post.thread_id }, data: { acceptedAnswerId: null, resolvedAt: null } });
  await recordEvent(tx, { type: "answer.unaccepted", actorId, subjectType: "post", subjectId: post.id.toString(), payload: { threadId: post.thread_id.toString(), reason } });
}

/** What the audit row keeps of a post: where it is, whose it is, and its hidden/deleted state (never its text). */
function snapshotOf(post: LockedPost) {
  return { threadId: post.thread_id, kind: post.kind, authorId: post.author_id, hiddenAt: post.hidden_at, deletedAt: post.deleted_at };
}

function payloadOf(post: LockedPost, reason: string) {
  return { threadId: post.thread_id.toString(), kind: post.kind, authorId: post.author_id, reason };
}

/**
 * Deletes a post (soft: the row stays for history, reputation reversals and metrics). Authors may
 * delete their own answers, and their own question while it has no answers; moderators, staff and
 * admins any post. Deleting the question deletes the thread. A deleted accepted answer is
 * un-accepted first. A repeat of the same form submission gets the first answer rather than "already
 * deleted" (ADR 030). Events: answer.unaccepted (if it was accepted), post.deleted, thread.deleted.
 * Audit (ADR 044, 050): post.deleted when the actor is not the author (a moderator's deletion).
 */
export async function deletePost(actorId: string, postId: bigint, input: unknown = {}, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ threadId: bigint; threadDeleted: boolean }>> {
  const again = await earlierAnswer<{ threadId: bigint; threadDeleted: boolean }>(submission);
  if (again) return again;
  const parsed = ReasonSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<{ threadId: bigint; threadDeleted: boolean }>> => {
    const post = await lockPost(tx, postId);
    if (!post || post.deleted_at) return notFound("messages.common.postAlreadyDeleted");
    if (!canDeletePost(member, { authorId: post.author_id, kind: post.kind }, { answerCount: post.answer_count })) {
      return forbidden(post.kind === "question" && member?.id === post.author_id ? "messages.questions.deleteAnswered" : "messages.questions.deleteForbidden");
    }
    await deleteLockedPost(tx, post, actorId, parsed.data.reason);
    if (actorId !== post.author_id) {
      await recordAudit(tx, { actor: { id: actorId }, action: "post.deleted", targetType: "post", targetId: postId, reason: parsed.data.reason, before: snapshotOf(post), after: { ...snapshotOf(post), deletedAt: new Date() } });
    }
    return ok({ threadId: post.thread_id, threadDeleted: post.kind === "question" });
  }));
}

/**
 * Hides a post from everyone but moderators, staff and admins (spam, abuse), or shows it again.
 * Hiding the question hides the thread; a hidden accepted answer is un-accepted. Hidden answers
 * do not count in the thread's answer count. Events: post.hidden / post.unhidden, thread.hidden,
 * answer.unaccepted. Audit: post.hidden / post.shown (not when nothing changes).
 */
export async function setPostHidden(actorId: string, postId: bigint, hidden: boolean, input: unknown = {}): Promise<Result<{ threadId: bigint }>> {
  const parsed = ReasonSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  if (!canModerate(member)) return forbidden("messages.questions.hideForbidden");
  return prisma.$transaction(async (tx): Promise<Result<{ threadId: bigint }>> => {
    const post = await lockPost(tx, postId);
    if (!post || post.deleted_at) return notFound("messages.common.postDeleted");
    if (!!post.hidden_at === hidden) return ok({ threadId: post.thread_id });
    await setLockedPostHidden(tx, post, actorId, hidden, parsed.data.reason);
    await recordAudit(tx, { actor: { id: actorId }, action: hidden ? "post.hidden" : "post.shown", targetType: "post", targetId: postId, reason: parsed.data.reason, before: snapshotOf(post), after: { ...snapshotOf(post), hiddenAt: hidden ? new Date() : null } });
    return ok({ threadId: post.thread_id });
  });
}

/**
 * Deletes a post already locked by lockPost, in the caller's transaction: the rule behind deletePost,
 * shared with the review queue (issue 19). A held post (first post, spam check) stops being held.
 * Events: answer.unaccepted (if it was accepted), post.deleted, thread.deleted.
 */
export async function deleteLockedPost(tx: Tx, post: LockedPost, actorId: string | null, reason: string): Promise<void> {
  const now = new Date();
  await dropAcceptance(tx, post, actorId, "deleted");
  await tx.post.update({ where: { id: post.id }, data: { deletedAt: now, heldFor: null } });
  if (post.kind === "answer" && !post.hidden_at) {
    await tx.$executeRaw`UPDATE threads SET answer_count = answer_count - 1 WHERE id = ${post.thread_id}`;
  }
  await recordEvent(tx, { type: "post.deleted", actorId, subjectType: "post", subjectId: post.id.toString(), payload: payloadOf(post, reason) });
  if (post.kind === "question") {
    await tx.thread.update({ where: { id: post.thread_id }, data: { deletedAt: now } });
    await recordEvent(tx, { type: "thread.deleted", actorId, subjectType: "thread", subjectId: post.thread_id.toString(), payload: { reason } });
  }
}

/**
 * Hides or shows a post already locked by lockPost, in the caller's transaction: the rule behind
 * setPostHidden, shared with flags (issue 19: hidden by flags, `actorId` null when members' flags did
 * it) and the review queue. Showing a held post approves it (it is held no more).
 * Events: post.hidden / post.unhidden, thread.hidden, answer.unaccepted.
 */
export async function setLockedPostHidden(tx: Tx, post: LockedPost, actorId: string | null, hidden: boolean, reason: string): Promise<void> {
  if (!!post.hidden_at === hidden) return;
  if (hidden) await dropAcceptance(tx, post, actorId, "hidden");
  await tx.post.update({ where: { id: post.id }, data: hidden ? { hiddenAt: new Date() } : { hiddenAt: null, heldFor: null } });
  if (post.kind === "answer") {
    await tx.$executeRaw`UPDATE threads SET answer_count = answer_count + ${hidden ? -1 : 1} WHERE id = ${post.thread_id}`;
  } else {
    await tx.thread.update({ where: { id: post.thread_id }, data: { hiddenAt: hidden ? new Date() : null } });
  }
  await recordEvent(tx, { type: hidden ? "post.hidden" : "post.unhidden", actorId, subjectType: "post", subjectId: post.id.toString(), payload: payloadOf(post, reason) });
  if (hidden && post.kind === "question") {
    await recordEvent(tx, { type: "thread.hidden", actorId, subjectType: "thread", subjectId: post.thread_id.toString(), payload: { reason } });
  }
}
