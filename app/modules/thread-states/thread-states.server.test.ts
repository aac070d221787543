import { describe, expect, test } from "vitest";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { getThreadPage, listThreads, PAGE_SIZE } from "~/modules/questions/questions-queries.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, drainEvents, makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { setThreadLocked } from "./lock-thread.server.ts";
import { moveThread } from "./move-thread.server.ts";
import { pinThread, unpinThread } from "./pin-thread.server.ts";
import { setThreadUnlisted } from "./unlist-thread.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

const actions = (threadId: bigint) =>
  prisma.auditEntry.findMany({ where: { targetType: "thread", targetId: threadId.toString() }, orderBy: { id: "asc" }, select: { action: true, actorId: true } });

describe("locking", () => {
  test("a locked thread refuses members' answers, comments and votes (409) but not a moderator's; unlocking restores them", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId, postId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(helper.id, threadId);
    expect(await setThreadLocked(helper.id, threadId, true)).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await actions(threadId)).toEqual([]);
    expect(await setThreadLocked(moderator.id, threadId, true, { note: "heated" })).toEqual({ ok: true, value: { threadId, changed: true } });

    expect(await postAnswer(helper.id, threadId, { body: docJson("Another answer while the thread is locked.") })).toMatchObject({ ok: false, kind: "conflict" });
    expect(await addComment(asker.id, postId, { body: "A comment while locked" })).toMatchObject({ ok: false, kind: "conflict" });
    expect(await castVote(asker.id, answer, { value: 1 })).toMatchObject({ ok: false, kind: "conflict" });
    expect(await prisma.vote.count({ where: { postId: answer } })).toBe(0);

    expect((await addComment(moderator.id, postId, { body: "Locked while we sort this out." })).ok).toBe(true);
    expect((await castVote(moderator.id, answer, { value: 1 })).ok).toBe(true);
    expect((await postAnswer(moderator.id, threadId, { body: docJson("The official answer from the moderation team.") })).ok).toBe(true);

    expect(await setThreadLocked(moderator.id, threadId, true)).toEqual({ ok: true, value: { threadId, changed: false } });
    expect((await setThreadLocked(moderator.id, threadId, false)).ok).toBe(true);
    expect((await castVote(asker.id, answer, { value: 1 })).ok).toBe(true);
    expect(await actions(threadId)).toEqual([
      { action: "thread.locked", actorId: moderator.id },
      { action: "thread.unlocked", actorId: moderator.id },
    ]);
  });
});

describe("pinning", () => {
  test("a pin puts the thread first in its category's list until its end; a global pin shows everywhere; an ended pin does not show", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const category = await makeCategory("Announcements");
    const other = await makeCategory("Elsewhere");
    const old = await makeQuestion(asker.id, { categoryId: category.id, title: "Read this first: how to ask a good question" });
    const newer = await makeQuestion(asker.id, { categoryId: category.id, title: "Some newer question about invoices" });
    const elsewhere = await makeQuestion(asker.id, { categoryId: other.id, title: "A question in another category" });
    const ids = async (categoryId?: number) => (await listThreads({ filter: "all", sort: "newest", categoryId })).items.map((i) => [i.id, i.pinned ?? false]);

    expect(await pinThread(asker.id, old.threadId, { scope: "category" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await pinThread(moderator.id, old.threadId, { scope: "category", until: "2020-01-01" })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { until: [expect.any(String)] } });
    expect(await pinThread(moderator.id, old.threadId, { scope: "category", until: "next week" })).toMatchObject({ ok: false, kind: "invalid" });
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect((await pinThread(moderator.id, old.threadId, { scope: "category", until })).ok).toBe(true);
    expect(await ids(category.id)).toEqual([[old.threadId.toString(), true], [newer.threadId.toString(), false]]);
    // A category pin stays in its category: the other category's list does not show it.
    expect(await ids(other.id)).toEqual([[elsewhere.threadId.toString(), false]]);

    expect((await pinThread(moderator.id, newer.threadId, { scope: "global" })).ok).toBe(true);
    expect((await ids(other.id))[0]).toEqual([newer.threadId.toString(), true]);
    expect((await ids())[0]).toEqual([newer.threadId.toString(), true]);

    // The end passes: the pin no longer shows, with nothing run at the end.
    await prisma.thread.update({ where: { id: old.threadId }, data: { pinnedUntil: new Date(Date.now() - 1000) } });
    expect(await ids(category.id)).toEqual([[newer.threadId.toString(), true], [old.threadId.toString(), false]]);
    expect((await getThreadPage(old.threadId, null))?.thread.state.pinnedAt).toBeNull();

    expect((await unpinThread(moderator.id, newer.threadId)).ok).toBe(true);
    expect(await ids(category.id)).toEqual([[newer.threadId.toString(), false], [old.threadId.toString(), false]]);
    expect((await actions(old.threadId)).map((a) => a.action)).toEqual(["thread.pinned"]);
    expect((await actions(newer.threadId)).map((a) => a.action)).toEqual(["thread.pinned", "thread.unpinned"]);
  });
});

describe("pinning and paging", () => {
  test("a pinned thread heads page 1 once, and the pages still cover every thread without gaps or repeats", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const category = await makeCategory("Paging with a pin");
    const made: bigint[] = [];
    for (let i = 0; i < PAGE_SIZE + 2; i++) made.push((await makeQuestion(asker.id, { categoryId: category.id, title: `Paging with a pin, question ${i}` })).threadId);
    const pinned = made[made.length - 3]!;
    expect((await pinThread(moderator.id, pinned, { scope: "category" })).ok).toBe(true);
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await listThreads({ filter: "all", sort: "newest", categoryId: category.id, cursor });
      pages.push(page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    const newestFirst = [...made].reverse().map(String);
    expect(pages[0]![0]).toBe(pinned.toString());
    expect(pages.map((p) => p.length)).toEqual([PAGE_SIZE + 1, 1]);
    expect(pages.flat().slice(1)).toEqual(newestFirst.filter((id) => id !== pinned.toString()));
  }, 60_000);
});

describe("moving", () => {
  test("a move into an archived category is refused and changes nothing; a move elsewhere is audited", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const from = await makeCategory("Billing");
    const archived = await prisma.category.update({ where: { id: (await makeCategory("Old forum")).id }, data: { archivedAt: new Date() } });
    const to = await makeCategory("Accounts");
    const { threadId } = await makeQuestion(asker.id, { categoryId: from.id });
    expect(await moveThread(asker.id, threadId, { categoryId: String(to.id) })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(inEnglish(await moveThread(moderator.id, threadId, { categoryId: String(archived.id) }))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { categoryId: [expect.stringContaining("archived")] } });
    expect(await moveThread(moderator.id, threadId, { categoryId: "999999" })).toMatchObject({ ok: false, kind: "invalid" });
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).categoryId).toBe(from.id);
    expect(await actions(threadId)).toEqual([]);

    expect(await moveThread(moderator.id, threadId, { categoryId: String(to.id) })).toEqual({ ok: true, value: { threadId, changed: true } });
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).categoryId).toBe(to.id);
    expect(await actions(threadId)).toEqual([{ action: "thread.moved", actorId: moderator.id }]);
    await drainEvents();
    expect((await prisma.searchDocument.findUniqueOrThrow({ where: { docKey: `thread:${threadId}` } })).categoryId).toBe(to.id);
  });
});

describe("unlisting", () => {
  test("an unlisted thread is reachable by its link but not in lists or search; listing it again brings it back", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const category = await makeCategory("Unlisted things");
    const { threadId } = await makeQuestion(asker.id, { categoryId: category.id, title: "A thread only its link should reach" });
    await drainEvents();
    const listed = async () => (await listThreads({ filter: "all", sort: "newest", categoryId: category.id })).items.map((i) => i.id);
    const searchable = async () => (await prisma.searchDocument.findUniqueOrThrow({ where: { docKey: `thread:${threadId}` } })).visible;
    expect(await listed()).toEqual([threadId.toString()]);
    expect(await searchable()).toBe(true);

    expect(await setThreadUnlisted(asker.id, threadId, true)).toMatchObject({ ok: false, kind: "forbidden" });
    expect((await setThreadUnlisted(moderator.id, threadId, true)).ok).toBe(true);
    await drainEvents();
    expect(await listed()).toEqual([]);
    expect(await searchable()).toBe(false);
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).unlistedAt).toBeInstanceOf(Date);
    expect((await getThreadPage(threadId, null))?.thread.state.unlistedAt).toBeInstanceOf(Date);

    expect((await setThreadUnlisted(moderator.id, threadId, false)).ok).toBe(true);
    await drainEvents();
    expect(await listed()).toEqual([threadId.toString()]);
    expect(await searchable()).toBe(true);
    expect((await actions(threadId)).map((a) => a.action)).toEqual(["thread.unlisted", "thread.listed"]);
  });
});
