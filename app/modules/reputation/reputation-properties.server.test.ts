import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { handleEvent } from "~/modules/events/handlers.server.ts";
import { eventHandlers } from "~/modules/jobs/event-subscriptions.server.ts";
import { acceptAnswer, unacceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { deletePost } from "~/modules/questions/moderate-post.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { reconcileBadges } from "./badges.server.ts";
import { findReputationDrift, stageLedgerBackfill } from "./ledger.server.ts";
import { POINTS } from "./points.ts";

/** A small forum: 2 askers, 3 answerers (one at reputation 10, which downvotes soon push to the floor), 3 voters. */
async function makeWorld() {
  const firstEvent = (await prisma.domainEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
  const category = await makeCategory("Property world");
  const askers = await Promise.all([0, 1].map(() => makeUser()));
  const answerers = [await makeUser({ reputation: 10 }), await makeUser(), await makeUser()];
  const voters = await Promise.all([0, 1, 2].map(() => makeUser({ reputation: 60 })));
  const moderator = await makeUser({ role: "moderator" });
  const threads = [];
  for (const asker of askers) {
    const { threadId, postId } = await makeQuestion(asker.id, { categoryId: category.id, tags: ["billing"] });
    const answers = [];
    for (const a of answerers) answers.push(await makeAnswer(a.id, threadId));
    answers.push(await makeAnswer(asker.id, threadId)); // the asker's own answer: accepting it earns nothing
    threads.push({ threadId, questionPostId: postId, asker, answers });
  }
  const users = [...askers, ...answerers, ...voters];
  const start = new Map<string, number>();
  for (const u of users) start.set(u.id, (await prisma.user.findUniqueOrThrow({ where: { id: u.id } })).reputation);
  return { askers, answerers, voters, moderator, threads, users, start, firstEvent };
}

const command = fc.oneof(
  fc.record({ op: fc.constant("vote" as const), voter: fc.nat(2), thread: fc.nat(1), post: fc.nat(4), value: fc.constantFrom(-1, 0, 1) }),
  fc.record({ op: fc.constant("accept" as const), thread: fc.nat(1), answer: fc.nat(3) }),
  fc.record({ op: fc.constant("unaccept" as const), thread: fc.nat(1) }),
  fc.record({ op: fc.constant("delete" as const), thread: fc.nat(1), answer: fc.nat(3) }),
);

/** What the points table says each member should have gained from the current state. */
async function expectedGains(userIds: string[]) {
  const gains = new Map(userIds.map((id) => [id, 0]));
  const add = (id: string, n: number) => gains.has(id) && gains.set(id, gains.get(id)! + n);
  const votes = await prisma.vote.findMany({ where: { userId: { in: userIds } }, select: { value: true, userId: true, post: { select: { kind: true, authorId: true, deletedAt: true, thread: { select: { deletedAt: true } } } } } });
  for (const v of votes) {
    if (v.post.deletedAt || v.post.thread.deletedAt || v.userId === v.post.authorId) continue;
    if (v.value === 1) add(v.post.authorId, v.post.kind === "answer" ? POINTS.answer_upvoted : POINTS.question_upvoted);
    else {
      add(v.post.authorId, POINTS.post_downvoted);
      if (v.post.kind === "answer") add(v.userId, POINTS.downvote_cast);
    }
  }
  const accepted = await prisma.thread.findMany({ where: { acceptedAnswerId: { not: null }, deletedAt: null, authorId: { in: userIds } }, select: { authorId: true, acceptedAnswerId: true } });
  for (const t of accepted) {
    const answer = await prisma.post.findUniqueOrThrow({ where: { id: t.acceptedAnswerId! }, select: { authorId: true, deletedAt: true } });
    if (answer.deletedAt || answer.authorId === t.authorId) continue;
    add(answer.authorId, POINTS.answer_accepted);
    add(t.authorId, POINTS.accepted_answer_chosen);
  }
  return gains;
}

describe("reputation properties", () => {
  test("after any sequence of votes, withdrawals, accepts, switches and deletes, handled in any order and twice, every reputation equals its ledger and the state, and badges match their rules", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), fc.integer(), async (commands, seed) => {
        const w = await makeWorld();
        for (const c of commands) {
          const t = w.threads[c.thread]!;
          if (c.op === "vote") {
            const post = c.post === 4 ? t.questionPostId : t.answers[c.post]!;
            await castVote(w.voters[c.voter]!.id, post, { value: c.value });
          } else if (c.op === "accept") await acceptAnswer(t.asker.id, t.threadId, t.answers[c.answer]!);
          else if (c.op === "unaccept") await unacceptAnswer(t.asker.id, t.threadId);
          else await deletePost(w.moderator.id, t.answers[c.answer]!, { reason: "Property test clean-up" });
        }
        // Handle the events in a shuffled order (the queue runs jobs concurrently), then all again.
        const events = await prisma.domainEvent.findMany({ where: { id: { gt: w.firstEvent } }, select: { id: true } });
        const shuffled = events.map((e) => e.id).sort((a, b) => Number(((a * 7919n + BigInt(seed)) % 101n) - ((b * 7919n + BigInt(seed)) % 101n)));
        for (const id of shuffled) await handleEvent(id, eventHandlers);
        for (const id of shuffled) await handleEvent(id, eventHandlers);

        expect(await findReputationDrift(prisma)).toEqual([]);
        // The ledger holds exactly what the state calls for: a full reconcile has nothing to add.
        expect(await prisma.$transaction((tx) => stageLedgerBackfill(tx, "temporary"))).toBe(0);
        // Members who cannot have reached the floor: reputation = start + what the points table gives.
        const gains = await expectedGains(w.users.map((u) => u.id));
        for (const u of w.users) {
          const { reputation } = await prisma.user.findUniqueOrThrow({ where: { id: u.id }, select: { reputation: true } });
          expect(reputation).toBeGreaterThanOrEqual(1);
          if (w.start.get(u.id)! >= 60) expect(reputation).toBe(w.start.get(u.id)! + gains.get(u.id)!);
        }
        // Badges: nothing left to grant or revoke, and members with a live answer hold first answer.
        expect(await prisma.$transaction((tx) => reconcileBadges(tx, w.users.map((u) => u.id), null))).toEqual({ granted: 0, revoked: 0 });
        for (const a of w.answerers) {
          if ((await prisma.post.count({ where: { authorId: a.id, kind: "answer", deletedAt: null } })) === 0) continue;
          expect(await prisma.userBadge.count({ where: { userId: a.id, badge: "first_answer", revokedAt: null } })).toBe(1);
        }
        for (const a of w.askers) {
          expect(await prisma.userBadge.count({ where: { userId: a.id, badge: "first_question", revokedAt: null } })).toBe(1);
        }
      }),
      { numRuns: 12 },
    );
  }, 600_000);

  test("many members voting at once while the handlers run concurrently: the author's reputation equals the ledger and the votes", async () => {
    const asker = await makeUser();
    const author = await makeUser({ reputation: 100 });
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(author.id, threadId);
    const voters = await Promise.all(Array.from({ length: 10 }, () => makeUser({ reputation: 60 })));
    const first = (await prisma.domainEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    await Promise.all(voters.map((v, i) => castVote(v.id, answer, { value: i % 3 === 0 ? -1 : 1 })));
    await Promise.all(voters.slice(0, 4).map((v) => castVote(v.id, answer, { value: 1 })));
    const events = await prisma.domainEvent.findMany({ where: { id: { gt: first } }, select: { id: true } });
    // Every event handled twice, all at once: the row locks and event_handlings keep it exact.
    await Promise.all([...events, ...events].map((e) => handleEvent(e.id, eventHandlers)));
    const ups = await prisma.vote.count({ where: { postId: answer, value: 1 } });
    const downs = await prisma.vote.count({ where: { postId: answer, value: -1 } });
    const { reputation } = await prisma.user.findUniqueOrThrow({ where: { id: author.id } });
    expect(reputation).toBe(100 + ups * POINTS.answer_upvoted + downs * POINTS.post_downvoted);
    expect(await findReputationDrift(prisma)).toEqual([]);
  });
});
