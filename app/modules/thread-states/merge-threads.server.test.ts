import { describe, expect, test } from "vitest";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { getThreadPath } from "~/modules/questions/questions-queries.server.ts";
import { verifyReputation } from "~/modules/reputation/maintenance.server.ts";
import { POINTS } from "~/modules/reputation/points.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { drainEvents, makeAnswer, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { mergeThreads } from "./merge-threads.server.ts";

async function reputations(ids: string[]) {
  const rows = await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, reputation: true } });
  return Object.fromEntries(rows.map((r) => [r.id, r.reputation]));
}

async function liveAnswerCount(threadId: bigint) {
  return prisma.post.count({ where: { threadId, kind: "answer", deletedAt: null, hiddenAt: null } });
}

/** Two threads: the source with two answers (one accepted, both voted up, comments) and a target. */
async function twoThreads(targetAccepted: boolean) {
  const [sourceAsker, targetAsker, first, second, third, voter, moderator] = [
    await makeUser(), await makeUser(), await makeUser(), await makeUser(), await makeUser(), await makeUser(), await makeUser({ role: "moderator" }),
  ];
  const source = await makeQuestion(sourceAsker.id, { title: "Export invoices to CSV from the billing page" });
  const target = await makeQuestion(targetAsker.id, { title: "How can I download all invoices as a spreadsheet?" });
  const accepted = await makeAnswer(first.id, source.threadId, "Billing → Invoices → Export, then choose CSV.");
  const other = await makeAnswer(second.id, source.threadId, "The API has an invoices endpoint with a CSV format.");
  expect((await acceptAnswer(sourceAsker.id, source.threadId, accepted)).ok).toBe(true);
  for (const post of [accepted, other, source.postId]) expect((await castVote(voter.id, post, { value: 1 })).ok).toBe(true);
  const onAnswer = await addComment(second.id, accepted, { body: "This worked for me too." });
  const onQuestion = await addComment(sourceAsker.id, source.postId, { body: "I am on the Pro plan, if it matters." });
  if (!onAnswer.ok || !onQuestion.ok) throw new Error("comments failed");
  const targetAnswer = await makeAnswer(third.id, target.threadId, "Use the spreadsheet export in the Reports section.");
  if (targetAccepted) expect((await acceptAnswer(targetAsker.id, target.threadId, targetAnswer)).ok).toBe(true);
  await drainEvents();
  const people = [sourceAsker, targetAsker, first, second, third, voter].map((u) => u.id);
  return { sourceAsker, targetAsker, first, second, third, voter, moderator, source, target, accepted, other, targetAnswer, onAnswer: onAnswer.value.commentId, onQuestion: onQuestion.value.commentId, people };
}

describe("merging threads", () => {
  test("answers, votes and comments move; the target's accepted answer survives; every old URL leads to the target; the ledger has no drift", async () => {
    const t = await twoThreads(true);
    const before = await reputations(t.people);
    const { slug: targetSlug } = await prisma.thread.findUniqueOrThrow({ where: { id: t.target.threadId }, select: { slug: true } });

    const merged = await mergeThreads(t.moderator.id, t.source.threadId, { target: `http://localhost/questions/${t.target.threadId}/${targetSlug}#post-1`, note: "same question" });
    expect(merged).toEqual({ ok: true, value: { targetId: t.target.threadId, targetSlug, movedAnswers: 2 } });
    await drainEvents();

    const [source, target] = await Promise.all(
      [t.source.threadId, t.target.threadId].map((id) => prisma.thread.findUniqueOrThrow({ where: { id }, select: { mergedIntoId: true, answerCount: true, acceptedAnswerId: true, resolvedAt: true, deletedAt: true } })),
    );
    expect(source).toMatchObject({ mergedIntoId: t.target.threadId, answerCount: 0, acceptedAnswerId: null, deletedAt: null });
    expect(target).toMatchObject({ mergedIntoId: null, acceptedAnswerId: t.targetAnswer, answerCount: 3 });
    expect(target!.answerCount).toBe(await liveAnswerCount(t.target.threadId));
    expect(await liveAnswerCount(t.source.threadId)).toBe(0);
    expect(await prisma.post.findMany({ where: { id: { in: [t.accepted, t.other] } }, select: { threadId: true } })).toEqual([{ threadId: t.target.threadId }, { threadId: t.target.threadId }]);
    expect(await prisma.vote.count({ where: { postId: { in: [t.accepted, t.other, t.source.postId] } } })).toBe(3);
    expect(await prisma.comment.findUniqueOrThrow({ where: { id: t.onAnswer }, select: { threadId: true, postId: true } })).toEqual({ threadId: t.target.threadId, postId: t.accepted });
    expect(await prisma.comment.findUniqueOrThrow({ where: { id: t.onQuestion }, select: { threadId: true, postId: true } })).toEqual({ threadId: t.target.threadId, postId: t.target.postId });

    // /questions/<source> leads to the target (the thread page's own 301 is checked over HTTP).
    expect(await getThreadPath(t.source.threadId, null)).toBe(`/questions/${t.target.threadId}/${targetSlug}`);

    // Only the acceptance that did not survive is taken back; the votes keep their points.
    const after = await reputations(t.people);
    expect(after[t.first.id]).toBe(before[t.first.id]! - POINTS.answer_accepted);
    expect(after[t.sourceAsker.id]).toBe(before[t.sourceAsker.id]! - POINTS.accepted_answer_chosen);
    for (const id of [t.targetAsker.id, t.second.id, t.third.id, t.voter.id]) expect(after[id]).toBe(before[id]);
    expect(await verifyReputation()).toEqual({ drift: [], rollupDrift: 0, ledgerBehindState: 0, badgesBehindRules: { granted: 0, revoked: 0 } });

    const audit = await prisma.auditEntry.findMany({ where: { targetType: "thread", targetId: t.source.threadId.toString() } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "thread.merged", actorId: t.moderator.id, reason: "same question" });
    expect(audit[0]!.after).toMatchObject({ mergedIntoId: t.target.threadId.toString(), targetAcceptedAnswerId: t.targetAnswer.toString(), acceptanceDropped: t.accepted.toString() });
  }, 60_000);

  test("when the target has no accepted answer, the source's becomes the target's, credited to the target's asker, with no drift", async () => {
    const t = await twoThreads(false);
    const before = await reputations(t.people);
    const resolvedAt = (await prisma.thread.findUniqueOrThrow({ where: { id: t.source.threadId }, select: { resolvedAt: true } })).resolvedAt;
    expect((await mergeThreads(t.moderator.id, t.source.threadId, { target: String(t.target.threadId) })).ok).toBe(true);
    await drainEvents();

    const target = await prisma.thread.findUniqueOrThrow({ where: { id: t.target.threadId }, select: { acceptedAnswerId: true, resolvedAt: true, answerCount: true } });
    expect(target).toEqual({ acceptedAnswerId: t.accepted, resolvedAt, answerCount: 3 });
    const after = await reputations(t.people);
    expect(after[t.first.id]).toBe(before[t.first.id]);
    expect(after[t.sourceAsker.id]).toBe(before[t.sourceAsker.id]! - POINTS.accepted_answer_chosen);
    expect(after[t.targetAsker.id]).toBe(before[t.targetAsker.id]! + POINTS.accepted_answer_chosen);
    expect(await verifyReputation()).toEqual({ drift: [], rollupDrift: 0, ledgerBehindState: 0, badgesBehindRules: { granted: 0, revoked: 0 } });
  }, 60_000);

  test("an earlier merge into the source is re-pointed, so every redirect is one hop", async () => {
    const moderator = await makeUser({ role: "moderator" });
    const asker = await makeUser();
    const [a, b, c] = [await makeQuestion(asker.id), await makeQuestion(asker.id), await makeQuestion(asker.id)];
    expect((await mergeThreads(moderator.id, a.threadId, { target: String(b.threadId) })).ok).toBe(true);
    expect((await mergeThreads(moderator.id, b.threadId, { target: String(c.threadId) })).ok).toBe(true);
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: a.threadId } })).mergedIntoId).toBe(c.threadId);
    // A merged thread cannot be merged again, nor be a target.
    expect(await mergeThreads(moderator.id, a.threadId, { target: String(c.threadId) })).toMatchObject({ ok: false, kind: "not-found" });
    expect(await mergeThreads(moderator.id, c.threadId, { target: String(b.threadId) })).toMatchObject({ ok: false, kind: "invalid" });
  });

  test("a member, a merge into itself or into nothing is refused, and nothing moves and no audit row is written", async () => {
    const member = await makeUser({ reputation: 5000 });
    const moderator = await makeUser({ role: "moderator" });
    const asker = await makeUser();
    const source = await makeQuestion(asker.id);
    const target = await makeQuestion(asker.id);
    const answer = await makeAnswer(member.id, source.threadId);
    expect(await mergeThreads(member.id, source.threadId, { target: String(target.threadId) })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await mergeThreads(moderator.id, source.threadId, { target: String(source.threadId) })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { target: [expect.any(String)] } });
    expect(await mergeThreads(moderator.id, source.threadId, { target: "999999999" })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await mergeThreads(moderator.id, source.threadId, { target: "not a question" })).toMatchObject({ ok: false, kind: "invalid" });
    expect((await prisma.post.findUniqueOrThrow({ where: { id: answer } })).threadId).toBe(source.threadId);
    expect(await prisma.auditEntry.count({ where: { action: "thread.merged", targetId: source.threadId.toString() } })).toBe(0);
  });
});
