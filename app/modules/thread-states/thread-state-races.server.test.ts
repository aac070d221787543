import { beforeAll, describe, expect, test } from "vitest";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, makeAnswer, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { closeThread } from "./close-thread.server.ts";
import { setThreadLocked } from "./lock-thread.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

/**
 * ADR 068: an answer, a comment or a vote checks the thread's state under the thread's row lock in its
 * own transaction, so it serializes with a close, a lock or a merge: nothing lands after them, however
 * close the race. Real PostgreSQL, real concurrency (the pool's connections), no mocks.
 */
const WRITERS = 24;
let members: { id: string }[] = [];
let moderator: { id: string };

beforeAll(async () => {
  moderator = await makeUser({ role: "moderator" });
  members = [];
  for (let i = 0; i < WRITERS; i += 1) members.push(await makeUser({ reputation: 200 }));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Holds the thread's row lock, as a close or a lock does, while `during` runs, then sets `column` and
 * commits: a state change caught in the middle, made deterministic.
 */
async function holdingThreadLock(threadId: bigint, column: "closed" | "locked", during: () => Promise<unknown>): Promise<unknown> {
  let result: Promise<unknown> | undefined;
  await prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM threads WHERE id = ${threadId} FOR NO KEY UPDATE`;
      result = during();
      await sleep(400);
      if (column === "closed") await tx.$executeRaw`UPDATE threads SET closed_at = clock_timestamp(), closed_reason = 'off_topic' WHERE id = ${threadId}`;
      else await tx.$executeRaw`UPDATE threads SET locked_at = clock_timestamp() WHERE id = ${threadId}`;
    },
    { timeout: 10_000 },
  );
  return result;
}

describe("thread states serialize with the writes they refuse", () => {
  test("a close fired among many answers: every answer that got in is dated before the close, the rest are refused (409)", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    // Answers in waves around the close, so some start before it, some during it and some after it.
    const answers: Promise<Awaited<ReturnType<typeof postAnswer>>>[] = [];
    const fire = (from: number, to: number) => {
      for (let i = from; i < to; i += 1) answers.push(postAnswer(members[i]!.id, threadId, { body: docJson(`Answer number ${i}: restart the export from the billing page.`) }));
    };
    fire(0, 8);
    await sleep(5);
    fire(8, 16);
    const closing = closeThread(moderator.id, threadId, { reason: "off_topic" });
    fire(16, WRITERS);
    const [closed, ...results] = await Promise.all([closing, ...answers]);
    expect(closed).toMatchObject({ ok: true, value: { closed: true } });
    for (const r of results) expect(r.ok || r.kind === "conflict").toBe(true);

    const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { closedAt: true, answerCount: true } });
    const landed = await prisma.post.findMany({ where: { threadId, kind: "answer" }, select: { createdAt: true } });
    expect(landed.length).toBe(results.filter((r) => r.ok).length);
    expect(thread.answerCount).toBe(landed.length);
    expect(landed.filter((a) => a.createdAt > thread.closedAt!)).toEqual([]);
    // And afterwards, plainly refused.
    expect(await postAnswer(asker.id, threadId, { body: docJson("One more answer after the close, refused.") })).toMatchObject({ ok: false, kind: "conflict" });
  });

  test("an answer started while a close holds the thread waits for it and is refused, instead of landing in the closed thread", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const answer = (await holdingThreadLock(threadId, "closed", async () => {
      // The answer's own reads see the thread open (the close has not committed yet).
      await sleep(50);
      return postAnswer(members[0]!.id, threadId, { body: docJson("An answer racing the close by milliseconds.") });
    })) as Awaited<ReturnType<typeof postAnswer>>;
    expect(inEnglish(answer)).toMatchObject({ ok: false, kind: "conflict", message: "This question is closed and takes no new answers" });
    expect(await prisma.post.count({ where: { threadId, kind: "answer" } })).toBe(0);
  });

  test("comments and votes started while a lock holds the thread are refused once it commits; a moderator's still lands", async () => {
    const asker = await makeUser();
    const { threadId, postId } = await makeQuestion(asker.id);
    const answerId = await makeAnswer(members[1]!.id, threadId);
    const writes = (await holdingThreadLock(threadId, "locked", async () => {
      await sleep(50);
      return Promise.all([
        addComment(members[2]!.id, postId, { body: "A comment racing the lock." }),
        castVote(members[3]!.id, answerId, { value: 1 }),
        castVote(members[4]!.id, postId, { value: 1 }),
        addComment(moderator.id, postId, { body: "A moderator still comments on a locked thread." }),
      ]);
    })) as [Awaited<ReturnType<typeof addComment>>, Awaited<ReturnType<typeof castVote>>, Awaited<ReturnType<typeof castVote>>, Awaited<ReturnType<typeof addComment>>];
    expect(inEnglish(writes.slice(0, 3))).toEqual([
      expect.objectContaining({ ok: false, kind: "conflict", message: "This question is locked" }),
      expect.objectContaining({ ok: false, kind: "conflict", message: "This question is locked" }),
      expect.objectContaining({ ok: false, kind: "conflict", message: "This question is locked" }),
    ]);
    expect(writes[3].ok).toBe(true);
    expect(await prisma.vote.count({ where: { postId: { in: [postId, answerId] } } })).toBe(0);
    expect(await prisma.comment.count({ where: { threadId } })).toBe(1);
  });

  test("a lock fired among many votes and comments: nothing from members is dated after the lock", async () => {
    const asker = await makeUser();
    const { threadId, postId } = await makeQuestion(asker.id);
    const answerId = await makeAnswer(asker.id, threadId);
    const writes: Promise<{ ok: boolean; kind?: string }>[] = [];
    for (let i = 0; i < WRITERS; i += 1) {
      writes.push(i % 2 === 0 ? castVote(members[i]!.id, i % 4 === 0 ? answerId : postId, { value: 1 }) : addComment(members[i]!.id, postId, { body: `Comment number ${i} on the thread.` }));
      if (i === WRITERS / 2) writes.push(setThreadLocked(moderator.id, threadId, true));
    }
    const results = await Promise.all(writes);
    for (const r of results) expect(r.ok || r.kind === "conflict").toBe(true);
    const { lockedAt } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { lockedAt: true } });
    expect(lockedAt).not.toBeNull();
    const late = [
      ...(await prisma.vote.findMany({ where: { postId: { in: [postId, answerId] }, createdAt: { gt: lockedAt! } } })),
      ...(await prisma.comment.findMany({ where: { threadId, createdAt: { gt: lockedAt! } } })),
    ];
    expect(late).toEqual([]);
  });
});
