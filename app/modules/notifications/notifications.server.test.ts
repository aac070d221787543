import { describe, expect, test } from "vitest";
import { EVENTS } from "~/modules/events/event-catalogue.ts";
import { handleEvent } from "~/modules/events/handlers.server.ts";
import { eventHandlers } from "~/modules/jobs/event-subscriptions.server.ts";
import { acceptAnswer, unacceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { editPost } from "~/modules/questions/edit-post.server.ts";
import { deletePost, setPostHidden } from "~/modules/questions/moderate-post.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, drainEvents, makeAnswer, makeCategory, makeQuestion, makeUser, signInAs } from "../../../tests/support/factories.ts";
import { notify } from "./notification-handlers.server.ts";
import { listNotifications } from "./notification-queries.server.ts";
import { markAllNotificationsRead, markNotificationsRead, openNotification } from "./mark-read.server.ts";
import { setWatch } from "./set-watch.server.ts";

/** An established member (200 reputation: their fixture bonus announces privileges, left out by notices() below). */
const member = (overrides: Parameters<typeof makeUser>[0] = {}) => makeUser(overrides);
const commenter = () => makeUser();

type Notice = { id: bigint; kind: string; subject_key: string; thread_id: bigint | null; post_id: bigint | null; comment_id: bigint | null; read_at: Date | null; withdrawn_at: Date | null; actor_id: string | null; data: Record<string, unknown> };

/** A member's notices (badges and privileges, which fixtures earn in passing, left out unless asked for), oldest first. */
async function notices(userId: string, opts: { privileges?: boolean; badges?: boolean } = {}): Promise<Notice[]> {
  const rows = await prisma.$queryRaw<Notice[]>`
    SELECT id, kind, subject_key, thread_id, post_id, comment_id, read_at, withdrawn_at, actor_id, data FROM notifications
    WHERE recipient_id = ${userId} ORDER BY id`;
  return rows.filter((r) => (opts.privileges || r.kind !== "privilege_reached") && (opts.badges || r.kind !== "badge_earned"));
}
const kinds = async (userId: string) => (await notices(userId)).map((n) => n.kind);

async function notificationMailJobs(): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT j.payload->>'notificationId' AS id FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = 'send-notification-email' ORDER BY j.id`;
  return rows.map((r) => r.id);
}

async function unread(userId: string): Promise<number> {
  const { cookie } = await signInAs(userId);
  const user = await getCurrentUser(new Request("http://localhost/", { headers: { Cookie: cookie } }));
  return user!.unreadNotifications;
}

describe("who is notified", () => {
  test("an answer notifies the asker once; running the handler again creates nothing", async () => {
    const asker = await member();
    const helper = await member();
    const { threadId } = await makeQuestion(asker.id);
    await drainEvents();
    const answerId = await makeAnswer(helper.id, threadId);
    await drainEvents();
    const mine = await notices(asker.id);
    expect(mine.map((n) => [n.kind, n.subject_key, n.post_id, n.actor_id])).toEqual([["answer_on_question", `post:${answerId}`, answerId, helper.id]]);

    // The same event again, as a second worker or a retried job would, straight into the handler.
    const row = await prisma.domainEvent.findFirstOrThrow({ where: { type: "answer.posted", subjectId: answerId.toString() } });
    const event = { ...row, type: "answer.posted", subjectType: "post", payload: EVENTS["answer.posted"].payload.parse(row.payload) } as const;
    await prisma.$transaction((tx) => notify(tx, event));
    await prisma.$transaction((tx) => notify(tx, event));
    expect(await notices(asker.id)).toHaveLength(1);
    // "At once" is the default for answers: one e-mail job, not three.
    expect((await notificationMailJobs()).filter((id) => id === mine[0]!.id.toString())).toHaveLength(1);
    // The answerer now watches the thread, and got nothing for their own answer.
    expect(await prisma.watch.findUnique({ where: { targetType_targetId_userId: { targetType: "thread", targetId: threadId, userId: helper.id } } })).toMatchObject({ level: "watching", reason: "answered" });
    expect(await kinds(helper.id)).toEqual([]);
  });

  test("a comment on my question and a comment on my answer notify the post's author", async () => {
    const asker = await member();
    const helper = await member();
    const other = await commenter();
    const { threadId, postId } = await makeQuestion(asker.id);
    const answerId = await makeAnswer(helper.id, threadId);
    await drainEvents();
    const onQuestion = await addComment(other.id, postId, { body: "Which plan are you on?" });
    const onAnswer = await addComment(other.id, answerId, { body: "This worked for me too, thanks." });
    expect(onQuestion.ok && onAnswer.ok).toBe(true);
    await drainEvents();
    const askerNotices = await notices(asker.id);
    // The asker watches their question: the comment on the answer reaches them as watched activity.
    expect(askerNotices.map((n) => n.kind)).toEqual(["answer_on_question", "comment_on_question", "watched_thread"]);
    expect(askerNotices[1]!.comment_id).toBe(onQuestion.ok ? onQuestion.value.commentId : null);
    // The answerer watches the thread: the comment on the question reaches them as watched activity.
    expect(await kinds(helper.id)).toEqual(["watched_thread", "comment_on_answer"]);
    expect(await kinds(other.id)).toEqual([]);
  });

  test("accepting and un-accepting notify the answer's author; the asker accepting their own answer notifies nobody", async () => {
    const asker = await member();
    const helper = await member();
    const { threadId } = await makeQuestion(asker.id);
    const answerId = await makeAnswer(helper.id, threadId);
    const ownAnswer = await makeAnswer(asker.id, threadId, "Found it myself: the export is under Reports.");
    await drainEvents();
    expect((await acceptAnswer(asker.id, threadId, answerId)).ok).toBe(true);
    await drainEvents();
    expect((await unacceptAnswer(asker.id, threadId)).ok).toBe(true);
    await drainEvents();
    // (The asker's own answer reached the helper as watched activity first.)
    expect(await kinds(helper.id)).toEqual(["watched_thread", "answer_accepted", "answer_unaccepted"]);
    const before = (await notices(asker.id)).length;
    expect((await acceptAnswer(asker.id, threadId, ownAnswer)).ok).toBe(true);
    await drainEvents();
    expect(await notices(asker.id)).toHaveLength(before);
  });

  test("a badge earned notifies its holder", async () => {
    const asker = await member();
    const helper = await member();
    const { threadId } = await makeQuestion(asker.id);
    await makeAnswer(helper.id, threadId);
    await drainEvents();
    const badges = (await notices(helper.id, { badges: true })).filter((n) => n.kind === "badge_earned");
    expect(badges.map((n) => n.data.badge)).toEqual(["first_answer"]);
    const grant = await prisma.userBadge.findFirstOrThrow({ where: { userId: helper.id, badge: "first_answer" } });
    expect(badges[0]!.subject_key).toBe(`badge:${grant.id}`);
  });

  test("reputation reaching a privilege's threshold notifies once, and only for the thresholds crossed", async () => {
    const asker = await makeUser({ reputation: 45 });
    const voter = await makeUser();
    const { threadId } = await makeQuestion(voter.id);
    const answerId = await makeAnswer(asker.id, threadId);
    await drainEvents();
    // The fixture's own 1 → 45 crossed only "flags count toward hiding" (15).
    expect(await notices(asker.id, { privileges: true }).then((n) => n.filter((x) => x.kind === "privilege_reached").map((x) => x.data.privilege))).toEqual(["flagToHide"]);
    // +10 for an upvoted answer: 45 → 55 crosses "downvote" and "comment everywhere" (50), not "create tag" (150).
    expect((await castVote(voter.id, answerId, { value: "1" })).ok).toBe(true);
    await drainEvents();
    const reached = (await notices(asker.id, { privileges: true })).filter((n) => n.kind === "privilege_reached");
    expect(reached.map((n) => n.data.privilege).sort()).toEqual(["commentEverywhere", "downvote", "flagToHide"]);
    // Down and up again: the same privileges are not announced twice.
    await castVote(voter.id, answerId, { value: "0" });
    await drainEvents();
    await castVote(voter.id, answerId, { value: "1" });
    await drainEvents();
    expect((await notices(asker.id, { privileges: true })).filter((n) => n.kind === "privilege_reached")).toHaveLength(3);
  });

  test("@mentions in posts and comments notify known members and become profile links; unknown handles stay text", async () => {
    const asker = await member();
    const mentioned = await member({ handle: `ann-${Date.now().toString(36)}` });
    const other = await commenter();
    const { threadId, postId } = await makeQuestion(asker.id, { body: `Maybe @${mentioned.handle} knows, or @nobody-by-this-name does.` });
    await drainEvents();
    const question = await prisma.post.findUniqueOrThrow({ where: { id: postId } });
    expect(question.bodyHtml).toContain(`<a href="/u/${mentioned.handle}" class="mention">@${mentioned.handle}</a>`);
    expect(question.bodyHtml).toContain("@nobody-by-this-name");
    expect(question.bodyHtml).not.toContain('href="/u/nobody-by-this-name"');
    expect(await kinds(mentioned.id)).toEqual(["mention"]);

    const comment = await addComment(other.id, postId, { body: `@${mentioned.handle.toUpperCase()} see above; mail a@${mentioned.handle}.com` });
    expect(comment.ok).toBe(true);
    const stored = await prisma.comment.findFirstOrThrow({ where: { postId }, orderBy: { id: "desc" } });
    expect(stored.mentions).toEqual([mentioned.handle]);
    await drainEvents();
    expect(await kinds(mentioned.id)).toEqual(["mention", "mention"]);

    // An edit that mentions the same member again in the same post: nothing new.
    expect((await editPost(asker.id, postId, { title: "How do I export my invoices as CSV?", body: docJson(`Still asking @${mentioned.handle}, thanks!`), reason: "" })).ok).toBe(true);
    await drainEvents();
    expect(await kinds(mentioned.id)).toEqual(["mention", "mention"]);
    // Mentioned in an answer on a thread they never touched.
    const late = await member();
    const answerId = await makeAnswer(other.id, threadId, `Ask @${late.handle}, they wrote the export feature.`);
    await drainEvents();
    expect((await notices(late.id)).map((n) => [n.kind, n.post_id])).toEqual([["mention", answerId]]);
  });

  test("watchers of a thread hear of its answers and comments; watchers of a tag or category of its new questions", async () => {
    const asker = await member();
    const threadWatcher = await commenter();
    const tagWatcher = await member();
    const categoryWatcher = await member();
    const category = await makeCategory("Billing");
    const first = await makeQuestion(asker.id, { categoryId: category.id, tags: ["invoices"] });
    await drainEvents();
    const tag = await prisma.tag.findUniqueOrThrow({ where: { name: "invoices" } });
    expect((await setWatch({ id: threadWatcher.id, role: "member", status: "active" }, { targetType: "thread", targetId: String(first.threadId), watching: "true" })).ok).toBe(true);
    expect((await setWatch({ id: tagWatcher.id, role: "member", status: "active" }, { targetType: "tag", targetId: String(tag.id), watching: "true" })).ok).toBe(true);
    expect((await setWatch({ id: categoryWatcher.id, role: "member", status: "active" }, { targetType: "category", targetId: String(category.id), watching: "true" })).ok).toBe(true);

    const answerer = await member();
    await makeAnswer(answerer.id, first.threadId);
    await addComment(asker.id, first.postId, { body: "Adding: I am on the Pro plan." });
    const second = await makeQuestion(asker.id, { categoryId: category.id, tags: ["invoices", "export"], title: "Exported CSV has the wrong separator" });
    await drainEvents();
    expect(await kinds(threadWatcher.id)).toEqual(["watched_thread", "watched_thread"]);
    const tagNotices = await notices(tagWatcher.id);
    expect(tagNotices.map((n) => [n.kind, n.thread_id, n.data.tag])).toEqual([["watched_tag", second.threadId, "invoices"]]);
    // The category watcher also hears of it, once (the question is in their category and in no tag they watch).
    expect((await notices(categoryWatcher.id)).map((n) => [n.kind, n.thread_id])).toEqual([["watched_category", second.threadId]]);
    // Watched activity is a daily digest by default: no e-mail job for it.
    const jobs = await notificationMailJobs();
    for (const n of [...(await notices(threadWatcher.id)), ...tagNotices]) expect(jobs).not.toContain(n.id.toString());
  });

  test("one member reached several ways gets one notice: the most direct kind", async () => {
    const asker = await member();
    const category = await makeCategory("Accounts");
    const { threadId } = await makeQuestion(asker.id, { categoryId: category.id });
    await drainEvents();
    const tagAndCategory = await member();
    const actor = { id: tagAndCategory.id, role: "member" as const, status: "active" as const };
    const tag = await prisma.tag.findUniqueOrThrow({ where: { name: "billing" } });
    await setWatch(actor, { targetType: "tag", targetId: String(tag.id), watching: "true" });
    await setWatch(actor, { targetType: "category", targetId: String(category.id), watching: "true" });
    await setWatch(actor, { targetType: "thread", targetId: String(threadId), watching: "true" });
    // The asker watches their own thread too, and is mentioned in the answer.
    await makeAnswer(tagAndCategory.id, threadId, `@${asker.handle} here is how, step by step.`);
    await makeQuestion(asker.id, { categoryId: category.id, tags: ["billing"], body: `Question for @${tagAndCategory.handle}: where is the CSV button?` });
    await drainEvents();
    expect(await kinds(asker.id)).toEqual(["answer_on_question"]);
    expect(await kinds(tagAndCategory.id)).toEqual(["mention"]);
  });
});

describe("who is never notified", () => {
  test("nobody hears of their own actions", async () => {
    const asker = await commenter();
    const { threadId, postId } = await makeQuestion(asker.id);
    await makeAnswer(asker.id, threadId, "Answering my own question: it is under Reports.");
    await addComment(asker.id, postId, { body: `Note to self, @${asker.handle}.` });
    await drainEvents();
    expect(await kinds(asker.id)).toEqual([]);
  });

  test("content hidden or deleted before the handler runs notifies nobody; hidden afterwards is withdrawn, and shown again restored", async () => {
    const asker = await member();
    const spammer = await member();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId } = await makeQuestion(asker.id);
    await drainEvents();
    const spam = await makeAnswer(spammer.id, threadId, "Cheap followers at example dot com, best price.");
    expect((await setPostHidden(moderator.id, spam, true)).ok).toBe(true);
    await drainEvents();
    expect(await kinds(asker.id)).toEqual([]);

    const answer = await makeAnswer(spammer.id, threadId, "Open Billing, then Invoices, then Export.");
    await drainEvents();
    expect(await kinds(asker.id)).toEqual(["answer_on_question"]);
    await markAllNotificationsRead({ id: asker.id, role: "member", status: "active" }).then(() =>
      prisma.notification.updateMany({ where: { recipientId: asker.id, kind: "answer_on_question" }, data: { readAt: null } }),
    );
    expect(await unread(asker.id)).toBe(1);
    expect((await setPostHidden(moderator.id, answer, true)).ok).toBe(true);
    await drainEvents();
    expect(await unread(asker.id)).toBe(0);
    expect((await listNotifications(asker.id)).items.filter((i) => i.kind === "answer_on_question")).toEqual([]);
    expect((await setPostHidden(moderator.id, answer, false)).ok).toBe(true);
    await drainEvents();
    expect(await unread(asker.id)).toBe(1);

    expect((await deletePost(spammer.id, answer, {})).ok).toBe(true);
    await drainEvents();
    expect(await unread(asker.id)).toBe(0);
    expect((await notices(asker.id)).every((n) => n.withdrawn_at !== null)).toBe(true);
  });

  test("the list leaves out a notice the moment its post or thread is hidden, before the handler withdraws it", async () => {
    const asker = await member();
    const helper = await member();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId, postId } = await makeQuestion(asker.id);
    await drainEvents();
    const answer = await makeAnswer(helper.id, threadId, "Open Billing, then Invoices, then Export.");
    await drainEvents();
    const answerNotices = async () => (await listNotifications(asker.id)).items.filter((i) => i.kind === "answer_on_question");
    expect(await answerNotices()).toHaveLength(1);
    expect((await setPostHidden(moderator.id, answer, true)).ok).toBe(true);
    expect(await answerNotices()).toEqual([]); // no drainEvents(): the withdrawal has not run yet
    expect((await setPostHidden(moderator.id, answer, false)).ok).toBe(true);
    await drainEvents();
    expect(await answerNotices()).toHaveLength(1);
    expect((await setPostHidden(moderator.id, postId, true)).ok).toBe(true); // the whole thread
    expect(await answerNotices()).toEqual([]);
  });

  test("a muted thread stays silent, except for acceptances and mentions", async () => {
    const asker = await member();
    const helper = await member();
    const { threadId } = await makeQuestion(asker.id);
    await drainEvents();
    await setWatch({ id: asker.id, role: "member", status: "active" }, { targetType: "thread", targetId: String(threadId), watching: "false" });
    await makeAnswer(helper.id, threadId);
    await drainEvents();
    expect(await kinds(asker.id)).toEqual([]);
    await makeAnswer(helper.id, threadId, `@${asker.handle} does this help?`);
    await drainEvents();
    expect(await kinds(asker.id)).toEqual(["mention"]);
    // The asker's own watch stays muted: the automatic watch does not come back.
    expect((await prisma.watch.findFirstOrThrow({ where: { targetId: threadId, userId: asker.id } })).level).toBe("muted");
  });

  test("a suspended member is not notified", async () => {
    const asker = await member();
    const helper = await member();
    const { threadId } = await makeQuestion(asker.id);
    await drainEvents();
    await prisma.user.update({ where: { id: asker.id }, data: { status: "suspended" } });
    await makeAnswer(helper.id, threadId);
    await drainEvents();
    expect(await kinds(asker.id)).toEqual([]);
  });
});

describe("reading notifications", () => {
  test("the header's count comes with the session in one statement, and opening or marking reads them", async () => {
    const asker = await member();
    const helpers = [await member(), await member(), await member()];
    const { threadId } = await makeQuestion(asker.id);
    await drainEvents();
    await markAllNotificationsRead({ id: asker.id, role: "member", status: "active" });
    for (const h of helpers) await makeAnswer(h.id, threadId);
    await drainEvents();
    expect(await unread(asker.id)).toBe(3);

    const statements: string[] = [];
    const { cookie } = await signInAs(asker.id);
    const { getPool } = await import("~/utils/db.server.ts");
    const pool = getPool();
    const original = pool.query.bind(pool);
    // Count the statements the session lookup sends (Prisma goes through this pool).
    (pool as unknown as { query: unknown }).query = (...args: unknown[]) => {
      statements.push(String((args[0] as { text?: string }).text ?? args[0]));
      return (original as (...a: unknown[]) => unknown)(...args);
    };
    try {
      const user = await getCurrentUser(new Request("http://localhost/notifications", { headers: { Cookie: cookie } }));
      expect(user?.unreadNotifications).toBe(3);
    } finally {
      (pool as unknown as { query: unknown }).query = original;
    }
    expect(statements.filter((s) => /select/i.test(s))).toHaveLength(1);

    const page = await listNotifications(asker.id);
    // Three answers on one thread: one line, above the older (read) badge and privilege notices.
    expect(page.items[0]).toMatchObject({ kind: "answer_on_question", count: 3, unread: true });
    expect(page.items.slice(1).every((i) => !i.unread && i.kind !== "answer_on_question")).toBe(true);
    const actor = { id: asker.id, role: "member" as const, status: "active" as const, handle: asker.handle };
    const opened = await openNotification(actor, { ids: page.items[0]!.ids.join(",") });
    expect(opened.ok && opened.value.path).toMatch(new RegExp(`^/questions/${threadId}/[a-z0-9-]+\\?answer=(\\d+)#post-\\1$`));
    expect(await unread(asker.id)).toBe(0);
    expect((await listNotifications(asker.id)).items.filter((i) => i.kind === "answer_on_question").map((i) => i.unread)).toEqual([false, false, false]);
  });

  test("one member can never read or change another's notifications: their ids are not found", async () => {
    const asker = await member();
    const stranger = await member();
    const { threadId } = await makeQuestion(asker.id);
    await makeAnswer(stranger.id, threadId);
    await drainEvents();
    const [notice] = await notices(asker.id);
    const strangerActor = { id: stranger.id, role: "member" as const, status: "active" as const, handle: stranger.handle };
    expect(await markNotificationsRead(strangerActor, { ids: notice!.id.toString() })).toMatchObject({ ok: false, kind: "not-found" });
    expect(await openNotification(strangerActor, { ids: notice!.id.toString() })).toMatchObject({ ok: false, kind: "not-found" });
    await markAllNotificationsRead(strangerActor);
    expect((await notices(asker.id))[0]!.read_at).toBeNull();
    expect(await markNotificationsRead(strangerActor, { ids: "1;DROP" })).toMatchObject({ ok: false, kind: "invalid" });
    // Their own: fine.
    const askerActor = { id: asker.id, role: "member" as const, status: "active" as const, handle: asker.handle };
    expect(await markNotificationsRead(askerActor, { ids: notice!.id.toString() })).toMatchObject({ ok: true, value: { changed: 1 } });
  });

  test("the event that added a notice is handled only once by the queue: a second handleEvent adds nothing", async () => {
    const asker = await member();
    const helper = await member();
    const { threadId } = await makeQuestion(asker.id);
    const answerId = await makeAnswer(helper.id, threadId);
    await drainEvents();
    const event = await prisma.domainEvent.findFirstOrThrow({ where: { type: "answer.posted", subjectId: answerId.toString() } });
    await prisma.eventHandling.deleteMany({ where: { eventId: event.id, handler: "notifications.fan-out" } });
    await handleEvent(event.id, eventHandlers);
    expect(await notices(asker.id)).toHaveLength(1);
  });
});
