import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { acceptAnswer } from "./accept-answer.server.ts";
import { deletePost, setPostHidden } from "./moderate-post.server.ts";

async function thread(threadId: bigint) {
  return prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { answerCount: true, acceptedAnswerId: true, resolvedAt: true, deletedAt: true, hiddenAt: true } });
}

/** The moderation events about these posts and threads (other tests share the database). */
async function eventTypes(posts: bigint[], threads: bigint[] = []) {
  const where = {
    OR: [
      { type: { startsWith: "post." }, subjectType: "post", subjectId: { in: posts.map(String) } },
      { type: { startsWith: "thread.", not: "thread.viewed" }, subjectType: "thread", subjectId: { in: threads.map(String) } },
    ],
  };
  return (await prisma.domainEvent.findMany({ where, orderBy: { id: "asc" }, select: { type: true } })).map((e) => e.type);
}

describe("deleting and hiding posts", () => {
  test("an author deletes their accepted answer: it is un-accepted, the count drops, events are written", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(helper.id, threadId);
    await acceptAnswer(asker.id, threadId, answer);

    expect(await deletePost(helper.id, answer)).toEqual({ ok: true, value: { threadId, threadDeleted: false } });
    expect(await thread(threadId)).toMatchObject({ answerCount: 0, acceptedAnswerId: null, resolvedAt: null, deletedAt: null });
    const unaccepted = await prisma.domainEvent.findFirstOrThrow({ where: { type: "answer.unaccepted", subjectId: answer.toString() } });
    expect(unaccepted.payload).toMatchObject({ reason: "deleted", threadId: threadId.toString() });
    expect(await eventTypes([answer])).toEqual(["post.deleted"]);
    expect((await deletePost(helper.id, answer)).ok).toBe(false);
  });

  test("someone else's post cannot be deleted by a member; an answered question not even by its author", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId, postId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(helper.id, threadId);
    expect(await deletePost(asker.id, answer)).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await deletePost(asker.id, postId)).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await thread(threadId)).toMatchObject({ answerCount: 1, deletedAt: null });
    expect(await eventTypes([answer, postId], [threadId])).toEqual([]);
  });

  test("a moderator deletes a question: the thread is deleted with it", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId, postId } = await makeQuestion(asker.id);
    expect(await deletePost(moderator.id, postId, { reason: "duplicate of #12" })).toEqual({ ok: true, value: { threadId, threadDeleted: true } });
    expect((await thread(threadId)).deletedAt).not.toBeNull();
    expect(await eventTypes([postId], [threadId])).toEqual(["post.deleted", "thread.deleted"]);
  });

  test("only moderators hide; hiding and showing an answer keeps the answer count right", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId, postId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(helper.id, threadId);
    expect(await setPostHidden(asker.id, answer, true)).toMatchObject({ ok: false, kind: "forbidden" });
    expect((await setPostHidden(moderator.id, answer, true)).ok).toBe(true);
    expect((await setPostHidden(moderator.id, answer, true)).ok).toBe(true); // already hidden: no change
    expect((await thread(threadId)).answerCount).toBe(0);
    expect((await setPostHidden(moderator.id, answer, false)).ok).toBe(true);
    expect((await thread(threadId)).answerCount).toBe(1);
    expect((await setPostHidden(moderator.id, postId, true)).ok).toBe(true);
    expect((await thread(threadId)).hiddenAt).not.toBeNull();
    expect(await eventTypes([answer])).toEqual(["post.hidden", "post.unhidden"]);
    expect(await eventTypes([postId], [threadId])).toEqual(["post.hidden", "thread.hidden"]);
  });

  test("an over-long reason is refused and nothing changes", async () => {
    const moderator = await makeUser({ role: "moderator" });
    const { threadId, postId } = await makeQuestion((await makeUser()).id);
    expect(await deletePost(moderator.id, postId, { reason: "x".repeat(301) })).toMatchObject({ ok: false, kind: "invalid" });
    expect((await thread(threadId)).deletedAt).toBeNull();
  });
});

describe("tag counts follow what visitors can see", () => {
  const count = async (name: string) => (await prisma.tag.findUniqueOrThrow({ where: { name } })).threadCount;

  test("hiding or deleting a thread takes it out of its tags' counts, showing it puts it back", async () => {
    const moderator = await makeUser({ role: "moderator" });
    const asker = await makeUser();
    const first = await makeQuestion(asker.id, { tags: ["hidden-count", "导出"] });
    const second = await makeQuestion(asker.id, { tags: ["hidden-count"] });
    expect([await count("hidden-count"), await count("导出")]).toEqual([2, 1]);

    expect((await setPostHidden(moderator.id, first.postId, true, { reason: "spam" })).ok).toBe(true);
    expect([await count("hidden-count"), await count("导出")]).toEqual([1, 0]);
    // Hiding it again changes nothing; hiding an answer never touches the counts.
    expect((await setPostHidden(moderator.id, first.postId, true)).ok).toBe(true);
    const answer = await makeAnswer((await makeUser()).id, second.threadId);
    expect((await setPostHidden(moderator.id, answer, true)).ok).toBe(true);
    expect(await count("hidden-count")).toBe(1);

    expect((await setPostHidden(moderator.id, first.postId, false)).ok).toBe(true);
    expect([await count("hidden-count"), await count("导出")]).toEqual([2, 1]);

    // Unlisted (ADR 048): out of the tag's list, so out of its count, and back when listed again.
    const { setThreadUnlisted } = await import("~/modules/thread-states/unlist-thread.server.ts");
    expect((await setThreadUnlisted(moderator.id, first.threadId, true)).ok).toBe(true);
    expect([await count("hidden-count"), await count("导出")]).toEqual([1, 0]);
    expect((await setThreadUnlisted(moderator.id, first.threadId, false)).ok).toBe(true);
    expect([await count("hidden-count"), await count("导出")]).toEqual([2, 1]);

    expect((await deletePost(moderator.id, first.postId, { reason: "duplicate" })).ok).toBe(true);
    expect([await count("hidden-count"), await count("导出")]).toEqual([1, 0]);
  });
});
