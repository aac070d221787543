import { describe, expect, test } from "vitest";
import { FLAGS, THRESHOLDS } from "~/modules/reputation/thresholds.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { drainEvents, makeAnswer, makeQuestion, makeUser, signInAs } from "../../../tests/support/factories.ts";
import { decideReview } from "./decide-review.server.ts";
import { flagPost, flagWeight } from "./flag-post.server.ts";
import { listMyFlags, listReviewQueue } from "./review-queries.server.ts";

async function spamAnswer() {
  const asker = await makeUser();
  const spammer = await makeUser();
  const { threadId } = await makeQuestion(asker.id);
  const answerId = await makeAnswer(spammer.id, threadId, "Buy cheap followers now at our wonderful shop / 便宜的粉丝");
  return { asker, spammer, threadId, answerId };
}
const answerOf = (id: bigint) => prisma.post.findUniqueOrThrow({ where: { id }, select: { hiddenAt: true, deletedAt: true, heldFor: true } });
const countOf = async (threadId: bigint) => (await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).answerCount;
const actorOf = async (role: "moderator" | "staff" | "admin" | "member" = "moderator") => (await signInAs((await makeUser({ role })).id)).actor;

describe("flagging a post", () => {
  test("three spam flags of members above the flag threshold hide the post at once, as the system; two do not", async () => {
    const { threadId, answerId } = await spamAnswer();
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    expect(await flagPost(a.id, answerId, { reason: "spam" })).toMatchObject({ ok: true, value: { hidden: false } });
    expect(await flagPost(b.id, answerId, { reason: "rude" })).toMatchObject({ ok: true, value: { hidden: false } });
    expect((await answerOf(answerId)).hiddenAt).toBeNull();
    expect(await countOf(threadId)).toBe(1);
    expect(await flagPost(c.id, answerId, { reason: "spam" })).toMatchObject({ ok: true, value: { hidden: true } });
    expect((await answerOf(answerId)).hiddenAt).not.toBeNull();
    expect(await countOf(threadId)).toBe(0);
    const audit = await prisma.auditEntry.findMany({ where: { targetType: "post", targetId: answerId.toString() } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "post.hidden", actorId: null });
    expect(audit[0]!.reason).toMatch(/rude, spam/);
  });

  test("flags of members below the threshold, and off-topic flags, go to the queue but hide nothing", async () => {
    const { answerId } = await spamAnswer();
    for (let i = 0; i < 4; i++) {
      const low = await makeUser({ reputation: THRESHOLDS.flagToHide - 1 });
      expect(await flagPost(low.id, answerId, { reason: "spam" })).toMatchObject({ ok: true, value: { hidden: false } });
    }
    for (let i = 0; i < 3; i++) expect(await flagPost((await makeUser()).id, answerId, { reason: "off_topic" })).toMatchObject({ ok: true, value: { hidden: false } });
    expect((await answerOf(answerId)).hiddenAt).toBeNull();
    const { items } = await listReviewQueue();
    const item = items.find((i) => i.postId === answerId.toString())!;
    expect(item.flags.map((f) => f.reason).sort()).toEqual(["off_topic", "off_topic", "off_topic", "spam", "spam", "spam", "spam"]);
  });

  test("one moderator's spam flag hides the post at once, in the moderator's name", async () => {
    const { answerId } = await spamAnswer();
    const moderator = await makeUser({ role: "moderator" });
    expect(await flagPost(moderator.id, answerId, { reason: "spam" })).toMatchObject({ ok: true, value: { hidden: true } });
    expect(await prisma.auditEntry.findFirst({ where: { targetId: answerId.toString() } })).toMatchObject({ action: "post.hidden", actorId: moderator.id });
  });

  test("one flag per member per post; not on your own post; a duplicate needs a link and 'something else' needs words", async () => {
    const { spammer, answerId } = await spamAnswer();
    const member = await makeUser();
    expect((await flagPost(member.id, answerId, { reason: "off_topic" })).ok).toBe(true);
    expect(await flagPost(member.id, answerId, { reason: "spam" })).toMatchObject({ ok: false, kind: "conflict" });
    expect(await flagPost(spammer.id, answerId, { reason: "spam" })).toMatchObject({ ok: false, kind: "forbidden" });
    const other = await makeUser();
    expect(await flagPost(other.id, answerId, { reason: "duplicate", detail: "see the other one" })).toMatchObject({ kind: "invalid", fieldErrors: { detail: [expect.any(String)] } });
    expect(await flagPost(other.id, answerId, { reason: "other", detail: "" })).toMatchObject({ kind: "invalid", fieldErrors: { detail: [expect.any(String)] } });
    expect(await flagPost(other.id, answerId, { reason: "bogus" })).toMatchObject({ kind: "invalid", fieldErrors: { reason: [expect.any(String)] } });
    expect(await flagPost(other.id, answerId, { reason: "duplicate", detail: "https://forum.example/questions/12/how-to" })).toMatchObject({ ok: true });
    expect(await flagPost((await makeUser()).id, answerId, { reason: "other", detail: "Înșelătorie — 诈骗" })).toMatchObject({ ok: true });
    expect(await prisma.postFlag.count({ where: { postId: answerId } })).toBe(3);
  });

  test("a hidden or deleted post cannot be flagged by members (not found)", async () => {
    const { answerId } = await spamAnswer();
    await flagPost((await makeUser({ role: "moderator" })).id, answerId, { reason: "spam" });
    expect(await flagPost((await makeUser()).id, answerId, { reason: "spam" })).toMatchObject({ ok: false, kind: "not-found" });
    expect(await flagPost((await makeUser()).id, 999_999_999n, { reason: "spam" })).toMatchObject({ ok: false, kind: "not-found" });
  });
});

describe("flagger weight", () => {
  test("a member weighs 1 until 3 of their flags were disagreed with, then agreed ÷ decided; below the threshold 0, moderators hide alone", async () => {
    const moderator = await actorOf();
    const flagger = await makeUser();
    const member = { id: flagger.id, role: "member" as const, status: "active" as const, reputation: 200 };
    expect(await flagWeight(prisma, member)).toBe(1);
    expect(await flagWeight(prisma, { ...member, reputation: THRESHOLDS.flagToHide - 1 })).toBe(0);
    expect(await flagWeight(prisma, { ...member, role: "moderator" })).toBe(FLAGS.hideWeight);
    // One flag agreed with, three disagreed with.
    const decide = async (decision: "agree" | "disagree") => {
      const { answerId } = await spamAnswer();
      expect((await flagPost(flagger.id, answerId, { reason: "off_topic" })).ok).toBe(true);
      expect((await decideReview(moderator, answerId, { decision })).ok).toBe(true);
    };
    await decide("agree");
    await decide("disagree");
    await decide("disagree");
    expect(await flagWeight(prisma, member)).toBe(1);
    await decide("disagree");
    expect(await flagWeight(prisma, member)).toBe(0.25);

    // The distrusted flagger's spam flag no longer completes three trusted ones' worth.
    const { answerId } = await spamAnswer();
    await flagPost((await makeUser()).id, answerId, { reason: "spam" });
    await flagPost((await makeUser()).id, answerId, { reason: "spam" });
    expect(await flagPost(flagger.id, answerId, { reason: "spam" })).toMatchObject({ ok: true, value: { hidden: false } });
    expect((await prisma.postFlag.findFirstOrThrow({ where: { flaggerId: flagger.id, postId: answerId } })).weight).toBe(0.25);
  });
});

describe("the review queue", () => {
  test("one item per flagged post with every reason and the author's history", async () => {
    const { spammer, answerId } = await spamAnswer();
    await flagPost((await makeUser()).id, answerId, { reason: "spam" });
    await flagPost((await makeUser()).id, answerId, { reason: "duplicate", detail: "/questions/1/original" });
    const { items, total } = await listReviewQueue();
    expect(total).toBeGreaterThanOrEqual(1);
    const mine = items.filter((i) => i.postId === answerId.toString());
    expect(mine).toHaveLength(1);
    expect(mine[0]!.flags.map((f) => [f.reason, f.detail])).toEqual([["spam", ""], ["duplicate", "/questions/1/original"]]);
    expect(mine[0]!.author).toMatchObject({ id: spammer.id, reputation: 200, postCount: 1, flagsAgreed: 0 });
  });

  test("agree and suspend for 7 days: the post is hidden, the flags agreed, the author signed out and suspended, both actions audited", async () => {
    const moderator = await actorOf();
    const { spammer, answerId } = await spamAnswer();
    const spammerSession = await signInAs(spammer.id);
    const flaggers = [await makeUser(), await makeUser()];
    for (const f of flaggers) await flagPost(f.id, answerId, { reason: "spam" });
    const result = await decideReview(moderator, answerId, { decision: "agree", outcome: "hide", suspend: "on", suspendDays: "7", suspendReason: "Spam" });
    expect(result).toMatchObject({ ok: true, value: { decision: "agree", outcome: "hide", suspended: true } });
    expect((await answerOf(answerId)).hiddenAt).not.toBeNull();
    expect(await prisma.postFlag.findMany({ where: { postId: answerId }, select: { status: true, decidedById: true } })).toEqual([
      { status: "agreed", decidedById: moderator.id },
      { status: "agreed", decidedById: moderator.id },
    ]);
    const author = await prisma.user.findUniqueOrThrow({ where: { id: spammer.id } });
    expect(author.status).toBe("suspended");
    expect(Math.abs(author.suspendedUntil!.getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
    expect(await getCurrentUser(new Request("http://localhost/", { headers: { Cookie: spammerSession.cookie } }))).toBeNull();
    const audit = await prisma.auditEntry.findMany({ where: { actorId: moderator.id }, orderBy: { id: "asc" } });
    expect(audit.map((r) => [r.action, r.targetType, r.targetId])).toEqual([
      ["flags.agreed", "post", answerId.toString()],
      ["user.suspended", "user", spammer.id],
    ]);
    // The flaggers see the outcome; the item left the queue; a second decision is a conflict.
    expect(await listMyFlags(flaggers[0]!.id)).toMatchObject([{ postId: answerId.toString(), status: "agreed", visible: false }]);
    expect((await listReviewQueue()).items.some((i) => i.postId === answerId.toString())).toBe(false);
    expect(await decideReview(moderator, answerId, { decision: "disagree" })).toMatchObject({ ok: false, kind: "conflict" });
  });

  test("agree with delete removes the post and its answer count", async () => {
    const moderator = await actorOf();
    const { threadId, answerId } = await spamAnswer();
    await flagPost((await makeUser()).id, answerId, { reason: "rude" });
    expect(await decideReview(moderator, answerId, { decision: "agree", outcome: "delete" })).toMatchObject({ ok: true });
    expect((await answerOf(answerId)).deletedAt).not.toBeNull();
    expect(await countOf(threadId)).toBe(0);
  });

  test("disagree clears the flags and shows a post the flags had hidden", async () => {
    const moderator = await actorOf();
    const { threadId, answerId } = await spamAnswer();
    for (let i = 0; i < 3; i++) await flagPost((await makeUser()).id, answerId, { reason: "spam" });
    expect((await answerOf(answerId)).hiddenAt).not.toBeNull();
    expect(await decideReview(moderator, answerId, { decision: "disagree" })).toMatchObject({ ok: true, value: { outcome: "show" } });
    expect((await answerOf(answerId)).hiddenAt).toBeNull();
    expect(await countOf(threadId)).toBe(1);
    expect(await prisma.postFlag.count({ where: { postId: answerId, status: "disagreed" } })).toBe(3);
    expect(await prisma.auditEntry.findFirst({ where: { actorId: moderator.id } })).toMatchObject({ action: "flags.disagreed", targetId: answerId.toString() });
  });

  test("refused decisions change nothing and write no audit row: a member, a moderator suspending staff, bad input", async () => {
    const moderator = await actorOf();
    const member = await actorOf("member");
    const staffAuthor = await makeUser({ role: "staff" });
    const { threadId } = await makeQuestion((await makeUser()).id);
    const answerId = await makeAnswer(staffAuthor.id, threadId, "A staff answer somebody did not like at all.");
    await flagPost((await makeUser()).id, answerId, { reason: "rude" });
    expect(await decideReview(member, answerId, { decision: "agree" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await decideReview(moderator, answerId, { decision: "agree", suspend: "on", suspendReason: "no" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await decideReview(moderator, answerId, { decision: "maybe" })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await decideReview(moderator, answerId, { decision: "agree", suspend: "on", suspendDays: "-3" })).toMatchObject({ ok: false, kind: "invalid" });
    expect((await answerOf(answerId)).hiddenAt).toBeNull();
    expect(await prisma.postFlag.count({ where: { postId: answerId, status: "pending" } })).toBe(1);
    expect(await prisma.auditEntry.count({ where: { actorId: { in: [moderator.id, member.id] } } })).toBe(0);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: staffAuthor.id } })).status).toBe("active");
  });

  test("the decision tells each flagger what came of their flag and the author what happened to their post", async () => {
    const moderator = await actorOf();
    const removed = await spamAnswer();
    const kept = await spamAnswer();
    const flagger = await makeUser();
    await flagPost(flagger.id, removed.answerId, { reason: "spam" });
    await flagPost(flagger.id, kept.answerId, { reason: "off_topic" });
    await decideReview(moderator, removed.answerId, { decision: "agree", outcome: "delete" });
    await decideReview(moderator, kept.answerId, { decision: "disagree" });
    await drainEvents();
    const moderation = ["flag_agreed", "flag_disagreed", "post_removed", "post_approved"];
    const notices = (userId: string) => prisma.notification.findMany({ where: { recipientId: userId, kind: { in: moderation } }, orderBy: { id: "asc" }, select: { kind: true, postId: true, threadId: true } });
    expect(await notices(flagger.id)).toEqual([
      { kind: "flag_agreed", postId: null, threadId: null },
      { kind: "flag_disagreed", postId: null, threadId: null },
    ]);
    expect(await notices(removed.spammer.id)).toContainEqual({ kind: "post_removed", postId: null, threadId: null });
    expect((await notices(kept.spammer.id)).map((n) => n.kind)).not.toContain("post_removed");
  });
});
