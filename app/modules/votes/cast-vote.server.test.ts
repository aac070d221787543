import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { castVote } from "./cast-vote.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

async function scores(postId: bigint) {
  const post = await prisma.post.findUniqueOrThrow({ where: { id: postId }, select: { score: true, threadId: true, kind: true } });
  const thread = await prisma.thread.findUniqueOrThrow({ where: { id: post.threadId }, select: { score: true } });
  const sum = await prisma.vote.aggregate({ where: { postId }, _sum: { value: true } });
  return { post: post.score, thread: thread.score, kind: post.kind, votes: sum._sum.value ?? 0 };
}

describe("voting", () => {
  test("a member votes up, changes to down and withdraws; the score follows in the same transaction", async () => {
    const asker = await makeUser();
    const voter = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const questionPostId = (await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).questionPostId!;

    expect(await castVote(voter.id, questionPostId, { value: "1" })).toEqual({ ok: true, value: { score: 1, myVote: 1 } });
    expect(await scores(questionPostId)).toMatchObject({ post: 1, thread: 1, votes: 1 });
    expect(await castVote(voter.id, questionPostId, { value: "-1" })).toEqual({ ok: true, value: { score: -1, myVote: -1 } });
    expect(await scores(questionPostId)).toMatchObject({ post: -1, thread: -1, votes: -1 });
    expect(await castVote(voter.id, questionPostId, { value: "0" })).toEqual({ ok: true, value: { score: 0, myVote: 0 } });
    expect(await scores(questionPostId)).toMatchObject({ post: 0, thread: 0, votes: 0 });
    expect(await prisma.vote.count({ where: { postId: questionPostId } })).toBe(0);
  });

  test("no votes on your own posts", async () => {
    const author = await makeUser();
    const { threadId } = await makeQuestion(author.id);
    const answer = await makeAnswer(author.id, threadId);
    expect(inEnglish(await castVote(author.id, answer, { value: 1 }))).toMatchObject({ ok: false, kind: "forbidden", message: "You cannot vote on your own post" });
    expect(await prisma.vote.count({ where: { postId: answer } })).toBe(0);
  });

  test("voting twice in a race leaves exactly one vote and a score of one", async () => {
    const author = await makeUser();
    const voter = await makeUser();
    const { threadId } = await makeQuestion(author.id);
    const answer = await makeAnswer(author.id, threadId);
    const results = await Promise.all(Array.from({ length: 6 }, () => castVote(voter.id, answer, { value: 1 })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await prisma.vote.count({ where: { postId: answer } })).toBe(1);
    expect(await scores(answer)).toMatchObject({ post: 1, votes: 1 });
  });

  test("many members voting at once: the score equals the sum of the votes", async () => {
    const author = await makeUser();
    const { threadId } = await makeQuestion(author.id);
    const answer = await makeAnswer(author.id, threadId);
    const voters = await Promise.all(Array.from({ length: 8 }, () => makeUser()));
    await Promise.all(voters.map((v, i) => castVote(v.id, answer, { value: i % 3 === 0 ? -1 : 1 })));
    const s = await scores(answer);
    expect(s.post).toBe(s.votes);
    expect(s.post).toBe(8 - 2 * 3);
  });

  test("bad values and missing posts are refused clearly", async () => {
    const voter = await makeUser();
    expect(await castVote(voter.id, 1n, { value: "2" })).toMatchObject({ kind: "invalid" });
    expect(await castVote(voter.id, 987_654_321n, { value: 1 })).toMatchObject({ kind: "not-found" });
  });
});
