import { describe, expect, test } from "vitest";
import { askQuestion } from "~/modules/questions/ask-question.server.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { updateSiteSettings } from "~/modules/settings/site-settings.server.ts";
import { signUp } from "~/modules/users/sign-up.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, makeCategory, makeQuestion, makeUser, randomIp, signInAs } from "../../../tests/support/factories.ts";
import { decideReview } from "./decide-review.server.ts";
import { countImages, countLinks } from "./spam-checks.server.ts";
import { listReviewQueue } from "./review-queries.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

/** A Tiptap paragraph with `n` links. */
function linksDoc(n: number, text = "See these pages") {
  const links = Array.from({ length: n }, (_, i) => ({ type: "text", text: ` page ${i + 1}`, marks: [{ type: "link", attrs: { href: `https://spam${i}.example/offer` } }] }));
  return JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }, ...links] }] });
}
function imagesDoc(n: number) {
  const images = Array.from({ length: n }, (_, i) => ({ type: "image", attrs: { src: `/uploads/img${i}abcdefabcdef.webp`, alt: `picture ${i}` } }));
  return JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Look at my pictures of the problem here" }] }, ...images] });
}
const post = (id: bigint) => prisma.post.findUniqueOrThrow({ where: { id }, select: { hiddenAt: true, heldFor: true } });
/** The new-account pace (60 s between posts) is not what these tests are about: move earlier posts back. */
const age = (userId: string) => prisma.$executeRaw`UPDATE posts SET created_at = created_at - interval '2 minutes' WHERE author_id = ${userId}`;

describe("spam checks on new accounts", () => {
  test("more than 2 links holds a new account's answer for review, unseen and uncounted; an established member's is published", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const newcomer = await makeUser({ newAccount: true });
    const two = await postAnswer(newcomer.id, threadId, { body: linksDoc(2) });
    expect(two).toMatchObject({ ok: true, value: { held: null } });
    await age(newcomer.id);
    const three = await postAnswer(newcomer.id, threadId, { body: linksDoc(3, "Even more pages") });
    expect(three).toMatchObject({ ok: true, value: { held: "spam_check" } });
    const heldId = (three as { value: { answerId: bigint } }).value.answerId;
    expect(await post(heldId)).toMatchObject({ heldFor: "spam_check", hiddenAt: expect.any(Date) });
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).answerCount).toBe(1);
    expect((await listReviewQueue()).items.find((i) => i.postId === heldId.toString())).toMatchObject({ heldFor: "spam_check", flags: [] });

    const established = await makeUser();
    expect(await postAnswer(established.id, threadId, { body: linksDoc(5) })).toMatchObject({ ok: true, value: { held: null } });
  });

  test("more than 1 image holds the post; a question held hides its thread", async () => {
    const newcomer = await makeUser({ newAccount: true });
    const { id: categoryId } = await makeCategory();
    const asked = await askQuestion(newcomer.id, { title: "Why does the upload page show two images?", categoryId, tags: ["billing"], body: imagesDoc(2) });
    expect(asked).toMatchObject({ ok: true, value: { held: "spam_check" } });
    const thread = await prisma.thread.findUniqueOrThrow({ where: { id: (asked as { value: { threadId: bigint } }).value.threadId } });
    expect(thread.hiddenAt).not.toBeNull();
  });

  test("the same text twice within 10 minutes is refused with 400; after 10 minutes it is accepted", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const newcomer = await makeUser({ newAccount: true });
    const body = docJson("Restart the router and try again — 重启路由器再试一次.");
    expect((await postAnswer(newcomer.id, threadId, { body })).ok).toBe(true);
    await age(newcomer.id);
    expect(inEnglish(await postAnswer(newcomer.id, threadId, { body }))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { body: [expect.stringMatching(/same text/)] } });
    await prisma.$executeRaw`UPDATE posts SET created_at = created_at - interval '10 minutes' WHERE author_id = ${newcomer.id}`;
    expect((await postAnswer(newcomer.id, threadId, { body })).ok).toBe(true);
  });

  test("counting links and images in rendered HTML", () => {
    expect(countLinks('<p>a <a href="https://x.example">x</a> and https://y.example/z and www.z.example</p>')).toBe(3);
    expect(countLinks("<p>no links, just 3.5 dollars</p>")).toBe(0);
    expect(countImages('<p><img src="/a"><img src="/b"></p>')).toBe(2);
  });
});

describe("approving new members' first posts", () => {
  test("with the setting on, a new member's first post waits unseen until a moderator approves it; the setting change is audited", async () => {
    const admin = (await signInAs((await makeUser({ role: "admin" })).id)).actor;
    const moderator = (await signInAs((await makeUser({ role: "moderator" })).id)).actor;
    expect(await updateSiteSettings(moderator, { approveFirstPosts: "on" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await updateSiteSettings(admin, { approveFirstPosts: "on" })).toEqual({ ok: true, value: { changed: ["approveFirstPosts"] } });
    expect(await prisma.auditEntry.findFirst({ where: { actorId: admin.id } })).toMatchObject({ action: "settings.updated", targetType: "site", targetId: "approveFirstPosts", before: { approveFirstPosts: false }, after: { approveFirstPosts: true } });
    try {
      const { threadId } = await makeQuestion((await makeUser()).id);
      const newcomer = await makeUser({ newAccount: true });
      const first = await postAnswer(newcomer.id, threadId, { body: docJson("My very first answer here, hello everyone.") });
      expect(first).toMatchObject({ ok: true, value: { held: "first_post" } });
      const answerId = (first as { value: { answerId: bigint } }).value.answerId;
      expect(await post(answerId)).toMatchObject({ heldFor: "first_post", hiddenAt: expect.any(Date) });
      expect(await decideReview(moderator, answerId, { decision: "disagree" })).toMatchObject({ ok: true, value: { outcome: "show" } });
      expect(await post(answerId)).toEqual({ heldFor: null, hiddenAt: null });
      expect(await prisma.auditEntry.findFirst({ where: { actorId: moderator.id } })).toMatchObject({ action: "post.approved", targetId: answerId.toString() });
      await age(newcomer.id);
      expect(await postAnswer(newcomer.id, threadId, { body: docJson("And a second answer, published at once.") })).toMatchObject({ ok: true, value: { held: null } });
    } finally {
      await updateSiteSettings(admin, { approveFirstPosts: "false" });
    }
  });
});

describe("the sign-up honeypot", () => {
  test("a filled honeypot field is refused with 400 and creates nothing; empty, the sign-up goes through", async () => {
    const account = { email: "honey@example.com", handle: "honey-pot", displayName: "Honey", password: "correct horse battery staple" };
    expect(await signUp({ ...account, website: "https://spam.example" }, { ip: randomIp() })).toMatchObject({ ok: false, kind: "invalid", formErrors: [expect.any(String)] });
    expect(await prisma.user.count({ where: { emailNormalized: "honey@example.com" } })).toBe(0);
    expect(await signUp({ ...account, website: "" }, { ip: randomIp() })).toMatchObject({ ok: true });
  });
});
