import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { acceptAnswer, unacceptAnswer } from "./accept-answer.server.ts";

async function threadState(threadId: bigint) {
  return prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { acceptedAnswerId: true, resolvedAt: true } });
}

describe("accepting an answer", () => {
  test("the asker accepts one answer, changes it to another, and withdraws it", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const first = await makeAnswer(helper.id, threadId);
    const second = await makeAnswer(helper.id, threadId, "Another way: ask support to email the CSV.");

    expect(await acceptAnswer(asker.id, threadId, first)).toEqual({ ok: true, value: { acceptedAnswerId: first, previous: null } });
    expect((await threadState(threadId)).acceptedAnswerId).toBe(first);
    expect((await threadState(threadId)).resolvedAt).not.toBeNull();

    expect(await acceptAnswer(asker.id, threadId, second)).toEqual({ ok: true, value: { acceptedAnswerId: second, previous: first } });
    expect((await threadState(threadId)).acceptedAnswerId).toBe(second);

    expect(await unacceptAnswer(asker.id, threadId)).toEqual({ ok: true, value: { withdrawn: second } });
    expect(await threadState(threadId)).toEqual({ acceptedAnswerId: null, resolvedAt: null });

    const events = await prisma.domainEvent.findMany({ where: { type: { in: ["answer.accepted", "answer.unaccepted"] } }, orderBy: { id: "asc" }, select: { type: true, subjectId: true } });
    expect(events).toEqual([
      { type: "answer.accepted", subjectId: first.toString() },
      { type: "answer.unaccepted", subjectId: first.toString() },
      { type: "answer.accepted", subjectId: second.toString() },
      { type: "answer.unaccepted", subjectId: second.toString() },
    ]);
  });

  test("accepting an answer that belongs to a different question is refused (not found) and changes nothing", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const mine = await makeQuestion(asker.id);
    const other = await makeQuestion(helper.id, { title: "Why does the mobile app log me out every day?" });
    const foreignAnswer = await makeAnswer(asker.id, other.threadId);
    const ownAnswer = await makeAnswer(helper.id, mine.threadId);
    await acceptAnswer(asker.id, mine.threadId, ownAnswer);
    const eventsBefore = await prisma.domainEvent.count();

    // Every spelling of the foreign id the route could pass on ends up as the same bigint.
    for (const id of [foreignAnswer, BigInt(foreignAnswer.toString()), BigInt(`0${foreignAnswer}`)]) {
      expect(await acceptAnswer(asker.id, mine.threadId, id)).toMatchObject({ ok: false, kind: "not-found" });
    }
    expect((await threadState(mine.threadId)).acceptedAnswerId).toBe(ownAnswer);
    expect((await threadState(other.threadId)).acceptedAnswerId).toBeNull();
    expect(await prisma.domainEvent.count()).toBe(eventsBefore);
  });

  test("the database itself refuses an accepted answer from another thread", async () => {
    const asker = await makeUser();
    const a = await makeQuestion(asker.id);
    const b = await makeQuestion(asker.id, { title: "Where can I change my company address?" });
    const answerOfB = await makeAnswer((await makeUser()).id, b.threadId);
    await expect(prisma.thread.update({ where: { id: a.threadId }, data: { acceptedAnswerId: answerOfB } })).rejects.toThrow();
  });

  test("the database itself refuses a thread's own question post as its accepted answer, and a post changing its kind", async () => {
    const asker = await makeUser();
    const { threadId, postId: questionPostId } = await makeQuestion(asker.id);
    const answer = await makeAnswer((await makeUser()).id, threadId);
    await expect(prisma.thread.update({ where: { id: threadId }, data: { acceptedAnswerId: questionPostId, resolvedAt: new Date() } })).rejects.toThrow(/is not an answer/);
    await expect(prisma.$executeRaw`UPDATE threads SET accepted_answer_id = question_post_id WHERE id = ${threadId}`).rejects.toThrow(/is not an answer/);
    await expect(prisma.thread.update({ where: { id: threadId }, data: { questionPostId: answer } })).rejects.toThrow(/is not a question/);
    // With the answer accepted, turning it into a question would break the rule from the other side.
    expect((await acceptAnswer(asker.id, threadId, answer)).ok).toBe(true);
    await expect(prisma.post.update({ where: { id: answer }, data: { kind: "question" } })).rejects.toThrow(/kind cannot change/);
    expect(await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { acceptedAnswerId: true, questionPostId: true } })).toEqual({ acceptedAnswerId: answer, questionPostId });
  });

  test("the question post itself cannot be accepted, nor a missing answer", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const questionPostId = (await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).questionPostId!;
    expect(await acceptAnswer(asker.id, threadId, questionPostId)).toMatchObject({ kind: "not-found" });
    expect(await acceptAnswer(asker.id, threadId, 999_999_999n)).toMatchObject({ kind: "not-found" });
  });

  test("only the asker, a moderator or staff may accept; others are refused", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer((await makeUser()).id, threadId);
    const stranger = await makeUser();
    expect(await acceptAnswer(stranger.id, threadId, answer)).toMatchObject({ kind: "forbidden" });
    expect(await unacceptAnswer(stranger.id, threadId)).toMatchObject({ kind: "forbidden" });
    expect((await threadState(threadId)).acceptedAnswerId).toBeNull();
    for (const role of ["moderator", "staff"] as const) {
      const actor = await makeUser({ role });
      expect((await acceptAnswer(actor.id, threadId, answer)).ok, role).toBe(true);
      expect((await unacceptAnswer(actor.id, threadId)).ok, role).toBe(true);
    }
  });

  test("two simultaneous accepts of different answers leave exactly one accepted", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const helper = await makeUser();
    const answers = await Promise.all([makeAnswer(helper.id, threadId), makeAnswer(helper.id, threadId, "Or use the API to fetch them all.")]);
    const results = await Promise.all(answers.map((a) => acceptAnswer(asker.id, threadId, a)));
    expect(results.every((r) => r.ok)).toBe(true);
    const state = await threadState(threadId);
    expect(answers).toContain(state.acceptedAnswerId);
  });
});

describe("last activity under concurrent writes", () => {
  test("last activity never moves backwards: an answer or acceptance whose transaction began before a write that committed first keeps the later time", async () => {
    // Two servers (scale-out test): the acceptance of one began later but committed first; the answer's own time
    // (its transaction's start) is earlier. The thread's last activity stays at the later time.
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const later = new Date(Date.now() + 60_000);
    await prisma.thread.update({ where: { id: threadId }, data: { lastActivityAt: later } });
    const answer = await makeAnswer((await makeUser()).id, threadId);
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { lastActivityAt: true } })).lastActivityAt).toEqual(later);
    await acceptAnswer(asker.id, threadId, answer);
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { lastActivityAt: true } })).lastActivityAt).toEqual(later);
    // Without a later write, each moves it forward as before.
    await prisma.thread.update({ where: { id: threadId }, data: { lastActivityAt: new Date(0) } });
    await makeAnswer((await makeUser()).id, threadId, "A second way: the Export menu in Reports.");
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { lastActivityAt: true } })).lastActivityAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
