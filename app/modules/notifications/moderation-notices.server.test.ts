import { describe, expect, test } from "vitest";
import { decideReview } from "~/modules/flags/decide-review.server.ts";
import { flagPost } from "~/modules/flags/flag-post.server.ts";
import { deletePost, setPostHidden } from "~/modules/questions/moderate-post.server.ts";
import { closeThread, reopenThread } from "~/modules/thread-states/close-thread.server.ts";
import { mergeThreads } from "~/modules/thread-states/merge-threads.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { setSuspension } from "~/modules/users/set-suspension.server.ts";
import { verifySignIn } from "~/modules/users/sign-in.server.ts";
import { getI18n } from "~/utils/i18n.ts";
import { drainEvents, GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser, randomIp, signInAs } from "../../../tests/support/factories.ts";
import { notificationPath, notificationReason, notificationText } from "./describe-notification.ts";
import { listNotifications } from "./notification-queries.server.ts";
import { storeDeliveries } from "./notification-settings.server.ts";

/**
 * Issue 19, "notifications tell the people affected" (ADR 068): the asker hears what moderators (or
 * votes) did to their thread, an author what a moderator did to their post; through the one fan-out
 * statement, so settings, the actor rule and the visibility checks are the usual ones (ADR 041).
 */
const MODERATION = ["thread_closed", "thread_duplicate", "thread_reopened", "thread_merged", "post_hidden", "post_deleted", "post_removed", "account_silenced"];

const notices = (userId: string) =>
  prisma.notification.findMany({
    where: { recipientId: userId, kind: { in: MODERATION } },
    orderBy: { id: "asc" },
    select: { id: true, kind: true, threadId: true, postId: true, data: true, withdrawnAt: true },
  });

/** What the member reads on /notifications, in a language. */
async function listed(userId: string, lng = "en") {
  const t = getI18n(lng).t;
  return (await listNotifications(userId)).items.filter((n) => MODERATION.includes(n.kind)).map((n) => ({ kind: n.kind, text: notificationText(t, n), reason: notificationReason(t, n), path: notificationPath(n, "me") }));
}

async function mailJobsFor(ids: bigint[]): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = 'send-notification-email' AND j.payload->>'notificationId' = ANY(${ids.map(String)}::text[])`;
  return row!.n;
}

describe("the asker hears what happened to their thread", () => {
  test("closed with its reason, reopened, marked a duplicate, merged: one notice each, in every language, in-app by default", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id, { title: "Exportul facturilor în CSV / 发票导出" });
    const { threadId: originalId } = await makeQuestion((await makeUser()).id, { title: "How do I export invoices?" });
    await makeAnswer(helper.id, threadId);
    await drainEvents();

    expect((await closeThread(moderator.id, threadId, { reason: "too_broad" })).ok).toBe(true);
    await drainEvents();
    expect((await reopenThread(moderator.id, threadId)).ok).toBe(true);
    await drainEvents();
    expect((await closeThread(moderator.id, threadId, { reason: "duplicate", duplicateOf: String(originalId) })).ok).toBe(true);
    await drainEvents();

    const mine = await notices(asker.id);
    expect(mine.map((n) => [n.kind, n.threadId, n.postId, n.data])).toEqual([
      ["thread_closed", threadId, null, { reason: "too_broad", byVotes: false }],
      ["thread_reopened", threadId, null, {}],
      ["thread_duplicate", threadId, null, { reason: "duplicate", byVotes: false }],
    ]);
    // Newest first on the page; each leads to the thread (a duplicate's banner links the original).
    const path = `/questions/${threadId}/`;
    expect(await listed(asker.id)).toEqual([
      { kind: "thread_duplicate", text: "Your question “Exportul facturilor în CSV / 发票导出” was marked as a duplicate: the original question is linked at its top", reason: "You get this because you asked this question.", path: expect.stringContaining(path) },
      { kind: "thread_reopened", text: "Your question “Exportul facturilor în CSV / 发票导出” was reopened and takes answers again", reason: "You get this because you asked this question.", path: expect.stringContaining(path) },
      { kind: "thread_closed", text: "Your question “Exportul facturilor în CSV / 发票导出” was closed: it is too broad to answer well.", reason: "You get this because you asked this question.", path: expect.stringContaining(path) },
    ]);
    expect((await listed(asker.id, "ro")).at(-1)?.text).toBe("Întrebarea ta „Exportul facturilor în CSV / 发票导出” a fost închisă: este prea generală pentru un răspuns bun.");
    expect((await listed(asker.id, "zh-Hans")).at(-1)?.text).toBe("你的问题“Exportul facturilor în CSV / 发票导出”已被关闭：范围太广，难以给出好的回答。");
    expect((await listed(asker.id, "zh-Hant")).at(-1)?.text).toBe("你的問題「Exportul facturilor în CSV / 发票导出」已被關閉：範圍太廣，很難好好回答。");
    // The "moderation" group is in-app by default: no e-mail.
    expect(await mailJobsFor(mine.map((n) => n.id))).toBe(0);
    // Nobody else hears of it: not the answerer who watches the thread, not the moderator.
    expect(await notices(helper.id)).toEqual([]);
    expect(await notices(moderator.id)).toEqual([]);

    // Merged: the asker of the merged thread is led to the target, where the old address redirects too.
    const other = await makeUser();
    const { threadId: sourceId } = await makeQuestion(other.id, { title: "Invoice CSV export, again" });
    await drainEvents();
    expect((await mergeThreads(moderator.id, sourceId, { target: String(originalId) })).ok).toBe(true);
    await drainEvents();
    expect((await notices(other.id)).map((n) => [n.kind, n.threadId])).toEqual([["thread_merged", originalId]]);
    expect(await listed(other.id)).toEqual([
      { kind: "thread_merged", text: "Your question was merged into “How do I export invoices?”, with its answers and comments", reason: "You get this because you asked the question that was merged.", path: expect.stringContaining(`/questions/${originalId}/`) },
    ]);
  });

  test("a member who chose e-mail at once for moderation gets one; the asker closing their own thread hears nothing; a thread hidden later takes its notice along", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    await storeDeliveries(asker.id, { moderation: "immediate" });
    const { threadId, postId } = await makeQuestion(asker.id);
    await drainEvents();
    expect((await closeThread(moderator.id, threadId, { reason: "off_topic" })).ok).toBe(true);
    await drainEvents();
    const [closed] = await notices(asker.id);
    expect(closed?.kind).toBe("thread_closed");
    expect(await mailJobsFor([closed!.id])).toBe(1);

    // Hidden afterwards: the notice about it is no longer listed (withdrawn, and checked at read time).
    expect((await setPostHidden(moderator.id, postId, true, { reason: "spam" })).ok).toBe(true);
    expect((await listed(asker.id)).map((n) => n.kind)).not.toContain("thread_closed");

    // A moderator closing their own question is not told about it.
    const { threadId: own } = await makeQuestion(moderator.id);
    await drainEvents();
    expect((await closeThread(moderator.id, own, { reason: "resolved_elsewhere" })).ok).toBe(true);
    await drainEvents();
    expect(await notices(moderator.id)).toEqual([]);
  });
});

describe("the author hears what a moderator did to their post", () => {
  test("hidden or deleted by a moderator: told with the reason, never linked to the removed post", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId, postId } = await makeQuestion(asker.id, { title: "Why is my invoice in EUR?" });
    const answerId = await makeAnswer(helper.id, threadId);
    await drainEvents();

    expect((await setPostHidden(moderator.id, answerId, true, { reason: "Link to a paid tool / 付费工具链接" })).ok).toBe(true);
    await drainEvents();
    expect((await notices(helper.id)).map((n) => [n.kind, n.threadId, n.postId, n.data])).toEqual([
      ["post_hidden", threadId, null, { postKind: "answer", note: "Link to a paid tool / 付费工具链接" }],
    ]);
    expect(await listed(helper.id, "zh-Hans")).toEqual([
      { kind: "post_hidden", text: "版主隐藏了你在“Why is my invoice in EUR?”中的回答。原因：“Link to a paid tool / 付费工具链接”", reason: "你收到此通知，是因为这篇帖子是你写的。", path: expect.stringContaining(`/questions/${threadId}/`) },
    ]);

    expect((await deletePost(moderator.id, postId, { reason: "Personal data in the question" })).ok).toBe(true);
    await drainEvents();
    // The question's thread is gone with it: that notice names no thread.
    expect((await notices(asker.id)).map((n) => [n.kind, n.threadId, n.postId, n.data])).toEqual([["post_deleted", null, null, { postKind: "question", note: "Personal data in the question" }]]);
    expect(await listed(asker.id)).toEqual([
      { kind: "post_deleted", text: "A moderator deleted one of your questions. Reason: “Personal data in the question”", reason: "You get this because you wrote the post.", path: "/u/me" },
    ]);
    // The answer's thread is deleted now: its notice is no longer listed (read-time check), it was while the thread stood.
    expect(await listed(helper.id)).toEqual([]);
  });

  test("the answer's notice names its thread while it stands; in Romanian and Chinese too", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId } = await makeQuestion(asker.id, { title: "Factură emisă în EUR, de ce?" });
    const answerId = await makeAnswer(helper.id, threadId);
    await drainEvents();
    expect((await deletePost(moderator.id, answerId, { reason: "" })).ok).toBe(true);
    await drainEvents();
    expect(await listed(helper.id)).toEqual([{ kind: "post_deleted", text: "A moderator deleted your answer in “Factură emisă în EUR, de ce?”", reason: "You get this because you wrote the post.", path: expect.stringContaining(`/questions/${threadId}/`) }]);
    expect((await listed(helper.id, "ro"))[0]?.text).toBe("Un moderator ți-a șters răspunsul din „Factură emisă în EUR, de ce?”");
    expect((await listed(helper.id, "zh-Hant"))[0]?.text).toBe("版主刪除了你在「Factură emisă în EUR, de ce?」的回答");
  });

  test("a review decision tells the author once (post_removed); deleting one's own post and a restore tell nothing", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const flagger = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId } = await makeQuestion(asker.id);
    const flagged = await makeAnswer(helper.id, threadId, "Buy cheap licences at example.test, best prices for everyone.");
    const own = await makeAnswer(helper.id, threadId, "A second answer of mine that I remove myself later on.");
    await drainEvents();

    expect((await flagPost(flagger.id, flagged, { reason: "spam" })).ok).toBe(true);
    expect((await decideReview((await signInAs(moderator.id)).actor, flagged, { decision: "agree", outcome: "hide" })).ok).toBe(true);
    expect((await deletePost(helper.id, own)).ok).toBe(true);
    await drainEvents();
    expect((await notices(helper.id)).map((n) => n.kind)).toEqual(["post_removed"]);
  });
});

describe("a restricted member is told", () => {
  test("a silenced member (still signed in) hears why and until when; a suspended one reads it at sign-in instead", async () => {
    const moderator = (await signInAs((await makeUser({ role: "moderator" })).id)).actor;
    const quiet = await makeUser();
    const forever = await makeUser();
    const result = await setSuspension(moderator, { userId: quiet.id, mode: "silence", suspend: "true", reason: "Cool down / 冷静一下", days: "3" });
    expect(result.ok).toBe(true);
    const until = (result as { value: { until: string } }).value.until;
    expect((await setSuspension(moderator, { userId: forever.id, mode: "silence", suspend: "true", reason: "Repeated abuse", days: "" })).ok).toBe(true);
    await drainEvents();

    const when = `${until.slice(0, 16).replace("T", " ")} UTC`;
    expect(await listed(quiet.id)).toEqual([
      { kind: "account_silenced", text: `Moderators made your account read-only until ${when}: you can read everything but not post, comment or vote. Reason: “Cool down / 冷静一下”`, reason: "You get this because it is about your account.", path: "/u/me" },
    ]);
    expect((await listed(quiet.id, "zh-Hant"))[0]?.text).toBe(`版主已將你的帳號設為唯讀，期限到 ${when}：你仍可瀏覽所有內容，但不能發文、留言或投票。原因：「Cool down / 冷静一下」`);
    expect((await listed(forever.id, "ro"))[0]?.text).toBe("Moderatorii ți-au trecut contul în modul doar citire: poți citi tot, dar nu poți posta, comenta sau vota. Motiv: „Repeated abuse”");

    // Suspended: signed out at once, so no notice; the sign-in refusal carries the reason and the end (ADR 047).
    const suspended = await makeUser();
    expect((await setSuspension(moderator, { userId: suspended.id, suspend: "true", reason: "Spam / 垃圾信息", days: "2" })).ok).toBe(true);
    await drainEvents();
    expect(await notices(suspended.id)).toEqual([]);
    const refused = await verifySignIn({ email: suspended.email, password: GOOD_PASSWORD }, { ip: randomIp() });
    expect(refused).toMatchObject({ ok: false, kind: "forbidden", message: expect.stringContaining("Spam / 垃圾信息") });
  });
});
