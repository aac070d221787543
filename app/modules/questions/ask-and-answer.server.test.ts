import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { docJson, makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { addComment } from "./add-comment.server.ts";
import { askQuestion } from "./ask-question.server.ts";
import { editPost } from "./edit-post.server.ts";
import { postAnswer } from "./post-answer.server.ts";
import { recordView } from "./record-view.server.ts";

const validAsk = (categoryId: number) => ({
  title: "How do I reset two-factor authentication?",
  categoryId,
  tags: "security, 2fa",
  body: docJson("I lost my phone and cannot sign in with my authenticator app anymore."),
});

describe("asking", () => {
  test("creates the thread, its question post, revision 1, tags with counts and a question.asked event", async () => {
    const asker = await makeUser();
    const category = await makeCategory();
    const result = await askQuestion(asker.id, validAsk(category.id));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const thread = await prisma.thread.findUniqueOrThrow({ where: { id: result.value.threadId }, include: { tags: { include: { tag: true } }, posts: { include: { revisions: true } } } });
    expect(thread.slug).toBe("how-do-i-reset-two-factor-authentication");
    expect(thread.tags.map((t) => t.tag.name).sort()).toEqual(["2fa", "security"]);
    expect(thread.posts).toHaveLength(1);
    expect(thread.posts[0]!.kind).toBe("question");
    expect(thread.posts[0]!.bodyHtml).toContain("<p>I lost my phone");
    expect(thread.posts[0]!.revisions.map((r) => r.revision)).toEqual([1]);
    expect(thread.questionPostId).toBe(thread.posts[0]!.id);
    const again = await askQuestion(asker.id, { ...validAsk(category.id), title: "Two-factor codes are rejected after a phone change" });
    expect(again.ok).toBe(true);
    expect((await prisma.tag.findUniqueOrThrow({ where: { name: "security" } })).threadCount).toBe(2);
    expect(await prisma.domainEvent.count({ where: { type: "question.asked", actorId: asker.id } })).toBe(2);
  });

  test("refuses bad input with a message per field and writes nothing", async () => {
    const asker = await makeUser();
    const category = await makeCategory();
    const archived = await prisma.category.update({ where: { id: (await makeCategory("Old")).id }, data: { archivedAt: new Date() } });
    const before = { threads: await prisma.thread.count(), posts: await prisma.post.count(), tags: await prisma.tag.count() };
    const cases: [string, Record<string, unknown>, string][] = [
      ["empty title", { title: "" }, "title"],
      ["short title", { title: "Too short" }, "title"],
      ["long title", { title: "x".repeat(151) }, "title"],
      ["unknown category", { categoryId: 999_999 }, "categoryId"],
      ["archived category", { categoryId: archived.id }, "categoryId"],
      ["no tags", { tags: "" }, "tags"],
      ["six tags", { tags: "a1,b2,c3,d4,e5,f6" }, "tags"],
      ["bad tag", { tags: "<script>" }, "tags"],
      ["empty body", { body: "" }, "body"],
      ["malformed JSON", { body: "{not json" }, "body"],
      ["unknown node", { body: JSON.stringify({ type: "doc", content: [{ type: "iframe", attrs: { src: "https://evil.example" } }] }) }, "body"],
      ["too short body", { body: docJson("Help") }, "body"],
    ];
    for (const [name, change, field] of cases) {
      const result = await askQuestion(asker.id, { ...validAsk(category.id), ...change });
      expect(result.ok, name).toBe(false);
      if (!result.ok && result.kind === "invalid") expect(Object.keys(result.fieldErrors), name).toContain(field);
      else throw new Error(`${name}: expected invalid, got ${JSON.stringify(result)}`);
    }
    expect({ threads: await prisma.thread.count(), posts: await prisma.post.count(), tags: await prisma.tag.count() }).toEqual(before);
  });

  test("a plain-text body (the no-JavaScript form) becomes paragraphs", async () => {
    const asker = await makeUser();
    const category = await makeCategory();
    const result = await askQuestion(asker.id, { ...validAsk(category.id), body: undefined, bodyText: "First paragraph of my problem.\n\nSecond <b>paragraph</b>." });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const post = await prisma.post.findFirstOrThrow({ where: { threadId: result.value.threadId } });
    expect(post.bodyHtml).toContain("<p>First paragraph of my problem.</p>");
    expect(post.bodyHtml).toContain("&lt;b&gt;paragraph&lt;/b&gt;");
  });
});

describe("answering and commenting", () => {
  test("an answer updates the thread's counters; a staff answer carries the Staff mark", async () => {
    const asker = await makeUser();
    const staff = await makeUser({ role: "staff" });
    const { threadId } = await makeQuestion(asker.id);
    const member = await makeUser();
    const a1 = await makeAnswer(member.id, threadId);
    const a2 = await makeAnswer(staff.id, threadId, "Staff here: we just shipped an export button.");
    const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId } });
    expect(thread.answerCount).toBe(2);
    expect(thread.firstAnswerAt).not.toBeNull();
    expect((await prisma.post.findUniqueOrThrow({ where: { id: a1 } })).byStaff).toBe(false);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: a2 } })).byStaff).toBe(true);
  });

  test("answering a missing thread is not found; an empty answer is refused", async () => {
    const member = await makeUser();
    expect(await postAnswer(member.id, 123_456_789n, { body: docJson("Some answer text here") })).toMatchObject({ kind: "not-found" });
    const { threadId } = await makeQuestion(member.id);
    expect(await postAnswer(member.id, threadId, { body: "" })).toMatchObject({ kind: "invalid", fieldErrors: { body: [expect.any(String)] } });
  });

  test("comments are short plain text on live posts", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const post = (await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).questionPostId!;
    expect((await addComment(asker.id, post, { body: "Also happens on Android." })).ok).toBe(true);
    expect(await addComment(asker.id, post, { body: "x".repeat(601) })).toMatchObject({ kind: "invalid" });
    expect(await addComment(asker.id, 555_555_555n, { body: "hello there" })).toMatchObject({ kind: "not-found" });
  });

  test("below the comment privilege, a member comments on their own thread and under their own answer, nowhere else", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const newcomer = await makeUser({ newAccount: true });
    const own = await makeAnswer(newcomer.id, threadId);
    const others = await makeAnswer(asker.id, threadId);
    expect((await addComment(newcomer.id, own, { body: "It also works on version 3." })).ok).toBe(true);
    expect(await addComment(newcomer.id, others, { body: "Me too on version 3." })).toMatchObject({ kind: "forbidden" });
    expect(await prisma.comment.count({ where: { authorId: newcomer.id } })).toBe(1);
  });
});

describe("editing with history", () => {
  test("every edit appends a revision with editor, time and reason; the first stays untouched", async () => {
    const author = await makeUser();
    const { threadId } = await makeQuestion(author.id);
    const postId = (await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).questionPostId!;
    const r2 = await editPost(author.id, postId, { title: "How do I export all my invoices as CSV?", body: docJson("Edited: I need every invoice of 2025 in one CSV file."), reason: "clarified" });
    expect(r2).toEqual({ ok: true, value: { threadId, revision: 2 } });
    const moderator = await makeUser({ role: "moderator" });
    const r3 = await editPost(moderator.id, postId, { title: "How do I export all my invoices as CSV?", body: docJson("Edited again: every invoice of 2025 in one CSV file, please."), reason: "" });
    expect(r3).toMatchObject({ ok: true, value: { revision: 3 } });
    // The post row shows the newest revision, stamped by the database's clock in the edit's transaction.
    const [post] = await prisma.$queryRaw<{ body_json: unknown; body_html: string; body_text: string; revision_count: number; updated_at: Date; db_now: Date; created_at: Date }[]>`
      SELECT body_json, body_html, body_text, revision_count, updated_at, created_at, now() AS db_now FROM posts WHERE id = ${postId}`;
    expect(post!.revision_count).toBe(3);
    expect(post!.body_json).toEqual(JSON.parse(docJson("Edited again: every invoice of 2025 in one CSV file, please.")));
    expect(post!.body_html).toBe("<p>Edited again: every invoice of 2025 in one CSV file, please.</p>");
    expect(post!.body_text).toBe("Edited again: every invoice of 2025 in one CSV file, please.");
    expect(post!.updated_at.getTime()).toBeGreaterThan(post!.created_at.getTime());
    expect(post!.updated_at.getTime()).toBeLessThanOrEqual(post!.db_now.getTime());
    const revisions = await prisma.postRevision.findMany({ where: { postId }, orderBy: { revision: "asc" } });
    expect(revisions.map((r) => [r.revision, r.editorId, r.reason])).toEqual([
      [1, author.id, ""],
      [2, author.id, "clarified"],
      [3, moderator.id, ""],
    ]);
    expect(revisions[0]!.bodyText).toContain("I looked in the billing settings");
    const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId } });
    expect(thread.title).toBe("How do I export all my invoices as CSV?");
    expect(thread.slug).toBe("how-do-i-export-all-my-invoices-as-csv");
  });

  test("a body of invisible characters only is refused and writes nothing", async () => {
    const author = await makeUser();
    const { threadId, postId } = await makeQuestion(author.id);
    const invisible = "\u200b\u200c\u200d\u2060\ufeff\u3164\u2800 ".repeat(20);
    expect(await editPost(author.id, postId, { title: "How do I export my invoices as CSV?", body: docJson(invisible), reason: "" })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await postAnswer(author.id, threadId, { body: docJson(invisible) })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await prisma.postRevision.count({ where: { postId } })).toBe(1);
    expect(await prisma.post.count({ where: { threadId, kind: "answer" } })).toBe(0);
  });

  test("invisible characters and runs of spaces between a few letters do not make the answer long enough", async () => {
    const author = await makeUser();
    const { threadId } = await makeQuestion(author.id);
    const padded = ["o" + "\u200b\u2060\u3164\u2800".repeat(30) + "k!", "ok" + " ".repeat(40) + "!"];
    for (const body of padded) expect(await postAnswer(author.id, threadId, { body: docJson(body) })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await prisma.post.count({ where: { threadId, kind: "answer" } })).toBe(0);
  });

  test("editing someone else's post without permission is refused and writes nothing", async () => {
    const author = await makeUser();
    const { threadId } = await makeQuestion(author.id);
    const answer = await makeAnswer(author.id, threadId);
    const other = await makeUser();
    expect(await editPost(other.id, answer, { body: docJson("Vandalised answer text") })).toMatchObject({ kind: "forbidden" });
    expect(await prisma.postRevision.count({ where: { postId: answer } })).toBe(1);
  });
});

describe("last activity", () => {
  test("a comment, an answer and an edit stamp the database's time and never move last activity backwards", async () => {
    const author = await makeUser();
    const { threadId } = await makeQuestion(author.id);
    const postId = (await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).questionPostId!;
    const activity = async () => (await prisma.$queryRaw<{ at: Date; db_now: Date }[]>`SELECT last_activity_at AS at, now() AS db_now FROM threads WHERE id = ${threadId}`)[0]!;

    // A write another server stamped later (its clock ahead of ours, or its transaction committed first).
    const later = new Date(Date.now() + 3_600_000);
    await prisma.$executeRaw`UPDATE threads SET last_activity_at = ${later} WHERE id = ${threadId}`;
    expect((await addComment(author.id, postId, { body: "Still happens after the update." })).ok).toBe(true);
    expect((await activity()).at.getTime()).toBe(later.getTime());
    expect((await editPost(author.id, postId, { title: "How do I export all my invoices as CSV?", body: docJson("Edited: I need every invoice of 2025 in one CSV file."), reason: "" })).ok).toBe(true);
    expect((await activity()).at.getTime()).toBe(later.getTime());
    await makeAnswer(author.id, threadId, "An answer that arrives after the later write was stamped.");
    expect((await activity()).at.getTime()).toBe(later.getTime());

    // From an older time, each moves it to the database's clock.
    await prisma.$executeRaw`UPDATE threads SET last_activity_at = now() - interval '1 day' WHERE id = ${threadId}`;
    expect((await addComment(author.id, postId, { body: "And on the web app too." })).ok).toBe(true);
    const afterComment = await activity();
    expect(afterComment.at.getTime()).toBeGreaterThan(afterComment.db_now.getTime() - 60_000);
    expect(afterComment.at.getTime()).toBeLessThanOrEqual(afterComment.db_now.getTime());

    await prisma.$executeRaw`UPDATE threads SET last_activity_at = now() - interval '1 day' WHERE id = ${threadId}`;
    const answer = await makeAnswer(author.id, threadId);
    const afterAnswer = await activity();
    expect(afterAnswer.at.getTime()).toBeGreaterThan(afterAnswer.db_now.getTime() - 60_000);
    expect(afterAnswer.at.getTime()).toBeLessThanOrEqual(afterAnswer.db_now.getTime());

    // An answer's edit moves last activity and leaves the thread's title and address as they are.
    const before = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { title: true, slug: true } });
    await prisma.$executeRaw`UPDATE threads SET last_activity_at = now() - interval '1 day' WHERE id = ${threadId}`;
    expect((await editPost(author.id, answer, { body: docJson("Edited answer: export every invoice from Billing."), reason: "" })).ok).toBe(true);
    expect(await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { title: true, slug: true } })).toEqual(before);
    const afterEdit = await activity();
    expect(afterEdit.at.getTime()).toBeGreaterThan(afterEdit.db_now.getTime() - 60_000);
  });
});

describe("views", () => {
  test("a view counts once per visitor per thread per day, signed in or not", async () => {
    const asker = await makeUser();
    const reader = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const first = await recordView(threadId, { userId: reader.id, anonId: null });
    expect(first).toEqual({ ok: true, value: { counted: true, viewId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    // A repeat view the same day quotes the day's row (its time is not reported yet): the same view id.
    expect(await recordView(threadId, { userId: reader.id, anonId: "x" })).toEqual({ ok: true, value: { counted: false, viewId: first.ok ? first.value.viewId : "" } });
    expect(await recordView(threadId, { userId: null, anonId: "anon-1" })).toMatchObject({ ok: true, value: { counted: true } });
    expect(await recordView(threadId, { userId: null, anonId: "anon-1" })).toMatchObject({ ok: true, value: { counted: false } });
    await Promise.all(Array.from({ length: 5 }, () => recordView(threadId, { userId: null, anonId: "anon-2" })));
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).viewCount).toBe(3);
    const rows = await prisma.threadView.findMany({ where: { threadId }, orderBy: { viewedAt: "asc" } });
    expect(rows.map((r) => r.visitorKey)).toEqual([`u:${reader.id}`, "a:anon-1", "a:anon-2"]);
    expect(await recordView(888_888_888n, { userId: null, anonId: "anon-1" })).toMatchObject({ kind: "not-found" });
  });
});
