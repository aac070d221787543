import { describe, expect, test } from "vitest";
import { handleEvent } from "~/modules/events/handlers.server.ts";
import { eventHandlers } from "~/modules/jobs/event-subscriptions.server.ts";
import { acceptAnswer, unacceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { drainEvents, makeAnswer, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { awardBonus } from "./award-bonus.server.ts";
import { findReputationDrift, reconcileLedger } from "./ledger.server.ts";

async function rep(userId: string) {
  return (await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { reputation: true } })).reputation;
}

async function questionPost(threadId: bigint) {
  return (await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { questionPostId: true } })).questionPostId!;
}

describe("the reputation ledger", () => {
  test("an upvote earns the answer's author 10, a change to a downvote reverses it and costs 2 and the voter 1, withdrawing gives it back", async () => {
    const asker = await makeUser();
    const author = await makeUser({ reputation: 100 });
    const voter = await makeUser({ reputation: 100 });
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(author.id, threadId);

    await castVote(voter.id, answer, { value: 1 });
    await drainEvents();
    expect(await rep(author.id)).toBe(110);
    await castVote(voter.id, answer, { value: -1 });
    await drainEvents();
    expect(await rep(author.id)).toBe(98);
    expect(await rep(voter.id)).toBe(99);
    await castVote(voter.id, answer, { value: 0 });
    await drainEvents();
    expect(await rep(author.id)).toBe(100);
    expect(await rep(voter.id)).toBe(100);

    const entries = await prisma.reputationEntry.findMany({ where: { postId: answer }, orderBy: { id: "asc" }, select: { userId: true, points: true, reason: true, reversesId: true } });
    expect(entries.map((e) => [e.userId === author.id ? "author" : "voter", e.points, e.reason.startsWith("undo:") ? "undo" : e.reason])).toEqual([
      ["author", 10, "answer_upvoted"],
      ["author", -10, "undo"],
      ["author", -2, "post_downvoted"],
      ["voter", -1, "downvote_cast"],
      ["author", 2, "undo"],
      ["voter", 1, "undo"],
    ]);
    expect(await findReputationDrift(prisma)).toEqual([]);
  });

  test("a question upvote earns 5 and a downvote on a question costs the voter nothing", async () => {
    const asker = await makeUser({ reputation: 100 });
    const voter = await makeUser({ reputation: 100 });
    const { threadId } = await makeQuestion(asker.id);
    const post = await questionPost(threadId);
    await castVote(voter.id, post, { value: 1 });
    await drainEvents();
    expect(await rep(asker.id)).toBe(105);
    await castVote(voter.id, post, { value: -1 });
    await drainEvents();
    expect([await rep(asker.id), await rep(voter.id)]).toEqual([98, 100]);
  });

  test("running a handler twice, or reconciling again, changes nothing", async () => {
    const asker = await makeUser();
    const author = await makeUser({ reputation: 100 });
    const voter = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(author.id, threadId);
    await castVote(voter.id, answer, { value: 1 });
    const event = await prisma.domainEvent.findFirstOrThrow({ where: { type: "vote.cast", subjectId: answer.toString() } });
    await handleEvent(event.id, eventHandlers);
    await handleEvent(event.id, eventHandlers);
    await prisma.$transaction((tx) => reconcileLedger(tx, { kind: "vote", postId: answer, voterId: voter.id }, event.id));
    expect(await rep(author.id)).toBe(110);
    expect(await prisma.reputationEntry.count({ where: { postId: answer } })).toBe(1);
  });

  test("accepting earns the answerer 15 and the asker 2; switching moves it; withdrawing reverses it", async () => {
    const asker = await makeUser({ reputation: 10 });
    const a1 = await makeUser({ reputation: 10 });
    const a2 = await makeUser({ reputation: 10 });
    const { threadId } = await makeQuestion(asker.id);
    const ans1 = await makeAnswer(a1.id, threadId);
    const ans2 = await makeAnswer(a2.id, threadId);
    await acceptAnswer(asker.id, threadId, ans1);
    await drainEvents();
    expect([await rep(asker.id), await rep(a1.id), await rep(a2.id)]).toEqual([12, 25, 10]);
    await acceptAnswer(asker.id, threadId, ans2);
    await drainEvents();
    expect([await rep(asker.id), await rep(a1.id), await rep(a2.id)]).toEqual([12, 10, 25]);
    await unacceptAnswer(asker.id, threadId);
    await drainEvents();
    expect([await rep(asker.id), await rep(a1.id), await rep(a2.id)]).toEqual([10, 10, 10]);
    expect(await findReputationDrift(prisma)).toEqual([]);
  });

  test("accepting your own answer earns nothing", async () => {
    const asker = await makeUser({ reputation: 10 });
    const { threadId } = await makeQuestion(asker.id);
    const own = await makeAnswer(asker.id, threadId);
    expect((await acceptAnswer(asker.id, threadId, own)).ok).toBe(true);
    await drainEvents();
    expect(await rep(asker.id)).toBe(10);
    expect(await prisma.reputationEntry.count({ where: { postId: own } })).toBe(0);
  });

  test("reputation never drops below 1, and a reversal negates the points actually applied", async () => {
    const asker = await makeUser();
    const author = await makeUser({ newAccount: true });
    const voters = await Promise.all([1, 2, 3].map(() => makeUser()));
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(author.id, threadId);
    for (const v of voters) await castVote(v.id, answer, { value: -1 });
    await drainEvents();
    expect(await rep(author.id)).toBe(1);
    const applied = await prisma.reputationEntry.findMany({ where: { userId: author.id }, select: { points: true } });
    expect(applied.map((e) => e.points)).toEqual([0, 0, 0]);
    await castVote(voters[0]!.id, answer, { value: 0 });
    await drainEvents();
    expect(await rep(author.id)).toBe(1);
    expect(await findReputationDrift(prisma)).toEqual([]);
  });

  test("a moderator's bonus needs a reason, and is refused to members and to yourself", async () => {
    const moderator = await makeUser({ role: "moderator" });
    const member = await makeUser({ reputation: 5 });
    const other = await makeUser();
    expect(await awardBonus(moderator.id, member.id, { points: "50", reason: "" })).toMatchObject({ kind: "invalid", fieldErrors: { reason: expect.any(Array) } });
    expect(await awardBonus(other.id, member.id, { points: "50", reason: "Great tutorial series" })).toMatchObject({ kind: "forbidden" });
    expect(await awardBonus(moderator.id, moderator.id, { points: "50", reason: "Great tutorial series" })).toMatchObject({ kind: "forbidden" });
    expect(await awardBonus(moderator.id, member.id, { points: "50", reason: "Great tutorial series" })).toMatchObject({ ok: true });
    await drainEvents();
    expect(await rep(member.id)).toBe(55);
    expect(await awardBonus(moderator.id, member.id, { points: "-100", reason: "Spam clean-up" })).toMatchObject({ ok: true });
    await drainEvents();
    expect(await rep(member.id)).toBe(1);
    const last = await prisma.reputationEntry.findFirstOrThrow({ where: { userId: member.id }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ reason: "staff_bonus", points: -54, note: "Spam clean-up" });
    expect(await findReputationDrift(prisma)).toEqual([]);
  });
});
