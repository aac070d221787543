import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashApiToken } from "~/modules/api/api-keys.server.ts";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { docJson, GOOD_PASSWORD, makeAnswer, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";
import { formOf, sendCopies, sameReplies } from "../support/form-submissions.ts";
import { queuedMails } from "../support/queued-mail.ts";
import { inEnglish } from "../support/messages.ts";

/**
 * Double submission (issue 16, item 8): the same form sent several times at once (a double click),
 * or again later (a retry after a timeout, a resent POST), writes once, and every copy gets the
 * same reply as the first. Each form that writes is checked on PostgreSQL; the embedded database has
 * its own file (double-submission-embedded.test.ts).
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  process.env.UPLOAD_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-double-submission-"));
  server = await startAppServer();
});
afterAll(() => server?.close());

async function signedIn(user: { email: string }) {
  const client = new HttpClient(server.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  return client;
}

async function threadPath(threadId: bigint) {
  const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
  return `/questions/${threadId}/${slug}`;
}

describe("a form sent twice at once, and again after, writes once and answers the same way", () => {
  test("an answer: one row, the same reply to every copy", async () => {
    const [asker, helper] = [await makeUser(), await makeUser()];
    const { threadId } = await makeQuestion(asker.id);
    const path = await threadPath(threadId);
    const client = await signedIn(helper);
    const form = await formOf(client, path, { intent: "answer", body: docJson("Open Billing, then Invoices, then Export as CSV.") });
    const replies = await sendCopies(client, path, form, { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.post.count({ where: { threadId, kind: "answer" } })).toBe(1);
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).answerCount).toBe(1);
    expect(await prisma.domainEvent.count({ where: { type: "answer.posted" } })).toBe(1);
  });

  test("a comment sent three times at once: one row", async () => {
    const asker = await makeUser();
    const { threadId, postId } = await makeQuestion(asker.id);
    const path = await threadPath(threadId);
    const client = await signedIn(asker);
    const form = await formOf(client, path, { intent: "comment", postId: String(postId), body: "Thanks, I will try that tomorrow." });
    const replies = await sendCopies(client, path, form, { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.comment.count({ where: { postId } })).toBe(1);
  });

  test("a question: one thread, and every copy is sent to it", async () => {
    const asker = await makeUser();
    const category = await makeCategory();
    const client = await signedIn(asker);
    const form = await formOf(client, "/questions/new", { title: "Why does my CSV export stop at 1000 rows?", categoryId: String(category.id), tags: "billing, export", bodyText: "The export always ends after exactly one thousand rows." });
    const replies = await sendCopies(client, "/questions/new", form, { atOnce: 2, after: 1 });
    sameReplies(replies);
    const threads = await prisma.thread.findMany({ where: { authorId: asker.id }, select: { id: true, slug: true } });
    expect(threads).toHaveLength(1);
    expect(replies[0]!.redirect).toBe(`/questions/${threads[0]!.id}/${threads[0]!.slug}`);
    expect((await prisma.tag.findUniqueOrThrow({ where: { name: "export" } })).threadCount).toBe(1);
  });

  test("an edit: one revision", async () => {
    const asker = await makeUser();
    const { threadId, postId } = await makeQuestion(asker.id);
    const client = await signedIn(asker);
    const path = `/posts/${postId}/edit`;
    const form = await formOf(client, path, { title: "How do I export my invoices as CSV files?", body: docJson("I looked in the billing settings and found no export button."), reason: "Clearer" });
    const replies = await sendCopies(client, path, form, { atOnce: 2, after: 1 });
    sameReplies(replies);
    expect(replies[0]!.redirect).toBe(`/questions/${threadId}/_`);
    expect(await prisma.postRevision.count({ where: { postId } })).toBe(2);
  });

  test("a new article and an article edit: one article, one revision", async () => {
    const staff = await makeUser({ role: "staff" });
    const category = await makeCategory();
    const client = await signedIn(staff);
    const fields = { title: "Exporting invoices as CSV files", categoryId: String(category.id), tags: "billing", bodyText: "Open Billing, then Invoices, then choose Export and CSV." };
    const created = await sendCopies(client, "/kb/new", await formOf(client, "/kb/new", fields), { atOnce: 2, after: 1 });
    sameReplies(created);
    const articles = await prisma.article.findMany({ where: { authorId: staff.id }, select: { id: true } });
    expect(articles).toHaveLength(1);
    const path = `/kb/articles/${articles[0]!.id}/edit`;
    const edited = await sendCopies(client, path, await formOf(client, path, { ...fields, reason: "Steps" }), { atOnce: 2, after: 1 });
    sameReplies(edited);
    expect(await prisma.articleRevision.count({ where: { articleId: articles[0]!.id } })).toBe(2);
  });

  test("promoting a thread: one article, and the copies are sent to it rather than told it is already promoted", async () => {
    const [asker, staff] = [await makeUser(), await makeUser({ role: "staff" })];
    const { threadId } = await makeQuestion(asker.id);
    const client = await signedIn(staff);
    const form = await formOf(client, await threadPath(threadId), { threadIds: String(threadId), confirmUnresolved: "yes" });
    const replies = await sendCopies(client, "/kb/promote", form, { atOnce: 2, after: 1 });
    sameReplies(replies);
    const sources = await prisma.articleSource.findMany({ where: { threadId } });
    expect(sources).toHaveLength(1);
    expect(replies[0]!.redirect).toBe(`/kb/articles/${sources[0]!.articleId}/edit?promoted=1`);
  });

  test("a category: one row, and no copy is told its URL name is taken", async () => {
    const admin = await makeUser({ role: "admin" });
    const client = await signedIn(admin);
    const form = await formOf(client, "/admin/categories", { intent: "create", name: "Shipping and returns", slug: "shipping-returns", description: "" });
    const replies = await sendCopies(client, "/admin/categories", form, { atOnce: 2, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.category.count({ where: { slug: "shipping-returns" } })).toBe(1);
  });

  test("moving a category up: one place, however many copies", async () => {
    const admin = await makeUser({ role: "admin" });
    const [first, second, third] = [await makeCategory("First"), await makeCategory("Second"), await makeCategory("Third")];
    const client = await signedIn(admin);
    const form = await formOf(client, "/admin/categories", { intent: "move", id: String(third.id), direction: "up" });
    const replies = await sendCopies(client, "/admin/categories", form, { atOnce: 2, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    const order = await prisma.category.findMany({ where: { id: { in: [first.id, second.id, third.id] } }, orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true } });
    expect(order.map((c) => c.id)).toEqual([first.id, third.id, second.id]);
  });

  test("a staff bonus: awarded once", async () => {
    const [staff, member] = [await makeUser({ role: "staff" }), await makeUser()];
    const { handle } = await prisma.user.findUniqueOrThrow({ where: { id: member.id }, select: { handle: true } });
    const client = await signedIn(staff);
    const path = `/u/${handle}`;
    const replies = await sendCopies(client, path, await formOf(client, path, { points: "25", reason: "Great billing answers" }), { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.domainEvent.count({ where: { type: "reputation.bonus_awarded", actorId: staff.id } })).toBe(1);
  });

  test("deleting an answer: every copy gets the first reply, not 'already deleted'", async () => {
    const [asker, helper] = [await makeUser(), await makeUser()];
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(helper.id, threadId);
    const path = await threadPath(threadId);
    const client = await signedIn(helper);
    const replies = await sendCopies(client, path, await formOf(client, path, { intent: "delete", postId: String(answer) }), { atOnce: 2, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.domainEvent.count({ where: { type: "post.deleted", subjectId: String(answer) } })).toBe(1);
  });

  test("sign-up: one account, and every copy signs the person in instead of saying the e-mail is taken", async () => {
    const client = new HttpClient(server.url);
    const form = await formOf(client, "/signup", { email: "double.click@example.com", handle: "double-click", displayName: "Double Click", password: GOOD_PASSWORD });
    const replies = await sendCopies(client, "/signup", form, { atOnce: 2, after: 1 });
    sameReplies(replies);
    expect(replies[0]!.redirect).toBe("/account?welcome=1");
    expect(await prisma.user.count({ where: { emailNormalized: "double.click@example.com" } })).toBe(1);
    expect((await client.get("/account")).status).toBe(200);
  });

  test("a password reset request: one link and one e-mail, so the link in it still works", async () => {
    const member = await makeUser();
    const client = new HttpClient(server.url);
    const form = await formOf(client, "/forgot-password", { email: member.email });
    const replies = await sendCopies(client, "/forgot-password", form, { atOnce: 2, after: 1 });
    sameReplies(replies);
    expect(await prisma.passwordResetToken.count({ where: { userId: member.id } })).toBe(1);
    expect((await queuedMails()).filter((mail) => mail.to === member.email)).toHaveLength(1);
  });

  test("a password change: changed once, and every copy is told it changed rather than 'not your current password'", async () => {
    const member = await makeUser();
    const client = await signedIn(member);
    const form = await formOf(client, "/account", { intent: "password", currentPassword: GOOD_PASSWORD, newPassword: "a brand new passphrase 改", confirm: "a brand new passphrase 改" });
    const replies = await sendCopies(client, "/account", form, { atOnce: 2, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(replies[0]!.body).toMatchObject({ notice: "account.passwordChanged" });
    expect(await prisma.domainEvent.count({ where: { type: "user.password_changed", subjectId: member.id } })).toBe(1);
    expect((await client.get("/account")).status).toBe(200);
    const fresh = new HttpClient(server.url);
    await fresh.signIn(member.email, "a brand new passphrase 改");
    expect((await fresh.get("/account")).status).toBe(200);
  });

  test("a password reset from a link: reset once, and every copy is sent to sign in rather than told the link was used", async () => {
    const member = await makeUser();
    const client = new HttpClient(server.url);
    await sendCopies(client, "/forgot-password", await formOf(client, "/forgot-password", { email: member.email }), { atOnce: 1 });
    const token = (await queuedMails()).find((mail) => mail.to === member.email)?.text.match(/reset-password\?token=([A-Za-z0-9_-]+)/)?.[1];
    if (!token) throw new Error("no reset link was sent");
    const path = `/reset-password?token=${token}`;
    const form = await formOf(client, path, { token, password: "reset passphrase număr 7", confirm: "reset passphrase număr 7" });
    const replies = await sendCopies(client, "/reset-password", form, { atOnce: 2, after: 1 });
    sameReplies(replies);
    expect(replies[0]!.redirect).toBe("/login?reset=1");
    expect(await prisma.domainEvent.count({ where: { type: "user.password_reset", subjectId: member.id } })).toBe(1);
    // The link stays used: another submission with it (another password, same page) is refused.
    const other = { ...form, password: "another passphrase 99", confirm: "another passphrase 99" };
    expect((await sendCopies(client, "/reset-password", other, { atOnce: 1 }))[0]!.status).toBe(400);
  });

  test("a search beacon sent three times at once and again: one search row, one id for every copy", async () => {
    const client = new HttpClient(server.url);
    await client.get("/search?q=csv"); // the page gives the browser its visitor id, as in a browser
    const form = { csrf: await client.csrfToken(), q: "导出 发票 csv", from: "page" };
    const replies = await sendCopies(client, "/search/log", form, { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.searchQuery.count({ where: { query: "导出 发票 csv" } })).toBe(1);
    expect(await prisma.domainEvent.count({ where: { type: "search.performed", subjectId: String((replies[0]!.body as { searchId: string }).searchId) } })).toBe(1);
  });

  test("article feedback, idempotent by its own key, stays one row", async () => {
    const staff = await makeUser({ role: "staff" });
    const category = await makeCategory();
    const article = await createArticle(staff.id, { title: "Exporting invoices as CSV files", categoryId: category.id, tags: "billing", bodyText: "Open Billing, then Invoices, then choose Export and CSV." });
    if (!article.ok) throw new Error(JSON.stringify(article));
    const { slug } = await prisma.article.update({ where: { id: article.value.articleId }, data: { status: "published", publishedAt: new Date() }, select: { slug: true } });
    const path = `/kb/${category.slug}/${slug}`;
    const client = new HttpClient(server.url);
    const replies = await sendCopies(client, path, await formOf(client, path, { intent: "feedback", articleId: String(article.value.articleId), helpful: "no", comment: "The Export menu is not there." }), { atOnce: 2, after: 1 });
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await prisma.articleFeedback.count({ where: { articleId: article.value.articleId } })).toBe(1);
  });
});

describe("forms added with issues 19 to 24, sent twice at once and again after", () => {
  test("registering a webhook: one endpoint, and every copy of the admin's own submission shows the same secret", async () => {
    const admin = await makeUser({ role: "admin" });
    const client = await signedIn(admin);
    const form = await formOf(client, "/admin/webhooks", { intent: "create", url: "https://93.184.216.34/double-click", events: "answer.posted", description: "Help desk 帮助", secret: "" });
    const replies = await sendCopies(client, "/admin/webhooks", form, { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    const endpoints = await prisma.webhookEndpoint.findMany({ where: { url: "https://93.184.216.34/double-click" }, select: { secret: true } });
    expect(endpoints).toHaveLength(1);
    expect(replies[0]!.body).toMatchObject({ ok: true, intent: "create", secret: endpoints[0]!.secret });
    expect(await prisma.auditEntry.count({ where: { action: "webhook.created", actorId: admin.id } })).toBe(1);
    // The same form sent from another session of the same admin (its token copied) is still the same
    // submission: no second endpoint, but the secret is shown only to the session that registered it.
    const other = await signedIn(admin);
    const [fromOther] = await sendCopies(other, "/admin/webhooks", { ...form, csrf: (await formOf(other, "/admin/webhooks", {})).csrf }, { atOnce: 1 });
    expect(fromOther).toMatchObject({ status: 200, body: { ok: true, intent: "create", secret: null } });
    expect(await prisma.webhookEndpoint.count({ where: { url: "https://93.184.216.34/double-click" } })).toBe(1);
  });

  test("an API key: one key, and every copy of the member's own submission shows its secret (sealed to that session)", async () => {
    const member = await makeUser();
    const client = await signedIn(member);
    const form = await formOf(client, "/account/api-keys", { intent: "create", name: "Help desk 帮助 sync", scope: "read", expiresInDays: "" });
    const replies = await sendCopies(client, "/account/api-keys", form, { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    const keys = await prisma.apiKey.findMany({ where: { userId: member.id }, select: { tokenHash: true } });
    expect(keys).toHaveLength(1);
    const token = (replies[0]!.body as { token: string | null }).token;
    expect(token).toMatch(/^tw_/);
    expect(hashApiToken(token!)).toBe(keys[0]!.tokenHash);
    // The stored answer holds no readable secret.
    const stored = await prisma.$queryRaw<{ answer: string }[]>`SELECT result::text AS answer FROM form_submissions WHERE result::text LIKE '%sealed%'`;
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((row) => row.answer.includes(token!))).toBe(false);
    // The same form from another session of the same member is the same submission: no second key, no secret.
    const other = await signedIn(member);
    const [fromOther] = await sendCopies(other, "/account/api-keys", { ...form, csrf: (await formOf(other, "/account/api-keys", {})).csrf }, { atOnce: 1 });
    expect(fromOther).toMatchObject({ status: 200, body: { ok: true, intent: "create", token: null } });
    expect(await prisma.apiKey.count({ where: { userId: member.id } })).toBe(1);
  });

  test("a profile picture: one upload stored, the same reply to every copy", async () => {
    const member = await makeUser();
    const client = await signedIn(member);
    const bytes = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 30, b: 90 } } }).png().toBuffer();
    const form = await formOf(client, "/account/avatar", {});
    const replies = await sendCopies(client, "/account/avatar", form, { atOnce: 3, after: 1, file: { field: "file", name: "me.png", type: "image/png", bytes: new Uint8Array(bytes) } });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    const uploads = await prisma.upload.findMany({ where: { ownerId: member.id }, select: { id: true } });
    expect(uploads).toHaveLength(1);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: member.id }, select: { avatarKey: true } })).avatarKey).toBe(uploads[0]!.id);
  });

  test("a flag: one row, and every copy gets the first reply rather than 'already flagged'", async () => {
    const [asker, helper] = [await makeUser(), await makeUser()];
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(helper.id, threadId);
    const client = await signedIn(asker);
    const form = await formOf(client, await threadPath(threadId), { reason: "rude", detail: "" });
    const replies = await sendCopies(client, `/posts/${answer}/flag`, form, { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.postFlag.count({ where: { postId: answer } })).toBe(1);
    // Another flag of the same post (not a copy) is still refused.
    const [again] = await sendCopies(client, `/posts/${answer}/flag`, { ...form, reason: "other", detail: "Still rude" }, { atOnce: 1 });
    expect(again!.status).toBe(409);
  });

  test("a review decision: decided once, and every copy gets the first reply rather than 'already decided'", async () => {
    const [asker, author, moderator] = [await makeUser(), await makeUser(), await makeUser({ role: "moderator" })];
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(author.id, threadId, "Visit my shop for cheap followers, best prices.");
    await prisma.postFlag.create({ data: { postId: answer, flaggerId: asker.id, reason: "spam", weight: 1 } });
    const client = await signedIn(moderator);
    const form = await formOf(client, "/review", { postId: String(answer), decision: "agree", outcome: "hide" });
    const replies = await sendCopies(client, "/review", form, { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.auditEntry.count({ where: { action: "flags.agreed", targetId: String(answer) } })).toBe(1);
    expect(await prisma.domainEvent.count({ where: { type: "flags.decided", subjectId: String(answer) } })).toBe(1);
  });

  test("every thread-state change: changed once, and every copy gets the first redirect rather than 409", async () => {
    const [asker, moderator] = [await makeUser(), await makeUser({ role: "moderator" })];
    const [{ threadId }, { threadId: original }, { threadId: target }] = [await makeQuestion(asker.id), await makeQuestion(asker.id, { title: "Exporting invoices to CSV, the original question" }), await makeQuestion(asker.id, { title: "Where is the CSV export of invoices now?" })];
    const elsewhere = await makeCategory("Billing and invoices");
    const client = await signedIn(moderator);
    const steps: [Record<string, string>, string, bigint][] = [
      [{ intent: "close", reason: "off_topic" }, "thread.closed", threadId],
      [{ intent: "reopen" }, "thread.reopened", threadId],
      [{ intent: "duplicate", duplicateOf: String(original) }, "thread.marked_duplicate", threadId],
      [{ intent: "reopen", note: "Not the same question after all" }, "thread.reopened", threadId],
      [{ intent: "lock" }, "thread.locked", threadId],
      [{ intent: "unlock" }, "thread.unlocked", threadId],
      [{ intent: "pin", scope: "global" }, "thread.pinned", threadId],
      [{ intent: "unpin" }, "thread.unpinned", threadId],
      [{ intent: "move", categoryId: String(elsewhere.id) }, "thread.moved", threadId],
      [{ intent: "unlist" }, "thread.unlisted", threadId],
      [{ intent: "list" }, "thread.listed", threadId],
      [{ intent: "merge", target: String(target) }, "thread.merged", target],
    ];
    for (const [fields, action, goesTo] of steps) {
      const path = `/questions/${threadId}/state`;
      const form = await formOf(client, await threadPath(threadId), fields);
      const replies = await sendCopies(client, path, form, { atOnce: 2, after: 1 });
      expect(replies[0]!.status, fields.intent).toBe(204);
      sameReplies(replies);
      expect(replies[0]!.redirect, fields.intent).toBe(await threadPath(goesTo));
      expect(await prisma.auditEntry.count({ where: { action, targetId: String(threadId), ...(fields.note ? { reason: fields.note } : {}) } }), action).toBe(1);
    }
  });

  test("a webhook redelivery and a webhook deletion: each done once, and every copy gets the first reply rather than 'No such endpoint'", async () => {
    const admin = await makeUser({ role: "admin" });
    const endpoint = await prisma.webhookEndpoint.create({ data: { url: "https://93.184.216.34/redeliver", events: ["user.signed_up"], secret: "whsec_double-submission-test-secret", createdById: admin.id } });
    const event = await prisma.domainEvent.create({ data: { type: "user.profile_updated", subjectType: "user", subjectId: admin.id } });
    const delivery = await prisma.webhookDelivery.create({ data: { endpointId: endpoint.id, eventId: event.id, eventType: event.type, status: "failed", attempts: 3, responseCode: 500, error: "HTTP 500" } });
    const client = await signedIn(admin);
    const logPath = `/admin/webhooks/${endpoint.id}`;
    const redelivered = await sendCopies(client, logPath, await formOf(client, logPath, { deliveryId: String(delivery.id) }), { atOnce: 3, after: 1 });
    expect(redelivered[0]!.status).toBe(200);
    sameReplies(redelivered);
    expect(await prisma.auditEntry.count({ where: { action: "webhook.redelivered", actorId: admin.id } })).toBe(1);
    const deleted = await sendCopies(client, "/admin/webhooks", await formOf(client, "/admin/webhooks", { intent: "delete", endpointId: String(endpoint.id) }), { atOnce: 2, after: 1 });
    expect(deleted[0]!.status).toBe(200);
    sameReplies(deleted);
    expect(await prisma.auditEntry.count({ where: { action: "webhook.deleted", actorId: admin.id } })).toBe(1);
  });

  test("a suspension: one audit row and one end date, however many copies", async () => {
    const [moderator, member] = [await makeUser({ role: "moderator" }), await makeUser()];
    const client = await signedIn(moderator);
    const form = await formOf(client, "/admin/users", { intent: "suspension", userId: member.id, suspend: "true", days: "7", reason: "Spam in three threads" });
    const replies = await sendCopies(client, "/admin/users", form, { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.auditEntry.count({ where: { action: "user.suspended", targetId: member.id } })).toBe(1);
    expect(await prisma.domainEvent.count({ where: { type: "user.suspended", subjectId: member.id } })).toBe(1);
  });

  test("the asker's 'Did this fix it?': answered once, and every copy is sent back to the thread rather than told 'You already answered'", async () => {
    const { askResolutionChecks } = await import("~/modules/support/verify-resolution.server.ts");
    const { acceptAnswer } = await import("~/modules/questions/accept-answer.server.ts");
    const [asker, helper] = [await makeUser(), await makeUser()];
    const { threadId } = await makeQuestion(asker.id, { title: "Accepted question to verify after a few days" });
    const answer = await makeAnswer(helper.id, threadId);
    await acceptAnswer(asker.id, threadId, answer);
    await prisma.thread.update({ where: { id: threadId }, data: { resolvedAt: new Date(Date.now() - 4 * 24 * 3600_000) } });
    await askResolutionChecks();
    const client = await signedIn(asker);
    const path = `/questions/${threadId}/resolution`;
    const replies = await sendCopies(client, path, await formOf(client, await threadPath(threadId), { verdict: "no" }), { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(204);
    sameReplies(replies);
    expect(replies[0]!.redirect).toBe(`/questions/${threadId}#still-need-help`);
    expect(await prisma.domainEvent.count({ where: { type: "resolution.answered", subjectId: String(threadId) } })).toBe(1);
  });

  test("publishing a ticket reply as an answer: one question and one answer, and every copy gets the first reply", async () => {
    const { createTicket } = await import("~/modules/support/create-ticket.server.ts");
    const [customer, staff] = [await makeUser(), await makeUser({ role: "staff" })];
    await makeCategory("Billing");
    const ticket = await createTicket({ id: customer.id, role: "member", status: "active" }, null, { source: "ask", message: "My CSV export stops at 1000 rows." });
    if (!ticket.ok) throw new Error(JSON.stringify(ticket));
    const reply = await prisma.ticketMessage.create({ data: { ticketId: ticket.value.ticketId, authorId: staff.id, kind: "reply", body: "Open Billing, then Invoices, then choose Export and CSV." } });
    const client = await signedIn(staff);
    const path = `/support/tickets/${ticket.value.ticketId}`;
    const form = await formOf(client, path, { intent: "publish", messageId: String(reply.id), title: "Why does the CSV export stop at 1000 rows?", tags: "billing" });
    const replies = await sendCopies(client, path, form, { atOnce: 3, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.thread.count({ where: { authorId: staff.id } })).toBe(1);
    expect(await prisma.post.count({ where: { authorId: staff.id, kind: "answer" } })).toBe(1);
    expect(await prisma.auditEntry.count({ where: { action: "ticket.reply_published", targetId: String(ticket.value.ticketId) } })).toBe(1);
  });
});

describe("what makes two submissions the same", () => {
  test("a refused submission leaves nothing behind: corrected and sent with the same token, it is written once", async () => {
    const asker = await makeUser();
    const { threadId, postId } = await makeQuestion(asker.id);
    const path = await threadPath(threadId);
    const client = await signedIn(asker);
    const tooShort = await formOf(client, path, { intent: "comment", postId: String(postId), body: "x" });
    expect((await sendCopies(client, path, tooShort, { atOnce: 1 }))[0]!.status).toBe(400);
    const fixed = { ...tooShort, body: "Thanks, that did it." };
    const replies = await sendCopies(client, path, fixed, { atOnce: 2, after: 1 });
    expect(replies[0]!.status).toBe(200);
    sameReplies(replies);
    expect(await prisma.comment.count({ where: { postId } })).toBe(1);
  });

  test("the same page's token on a different text, another post or for another member is another submission", async () => {
    const [asker, other] = [await makeUser(), await makeUser()];
    const { threadId, postId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(other.id, threadId);
    const path = await threadPath(threadId);
    const client = await signedIn(asker);
    const form = await formOf(client, path, { intent: "comment", postId: String(postId), body: "First remark on the question." });
    await sendCopies(client, path, form, { atOnce: 1 });
    await sendCopies(client, path, { ...form, body: "Second, different remark." }, { atOnce: 1 });
    await sendCopies(client, path, { ...form, postId: String(answer) }, { atOnce: 1 });
    expect(await prisma.comment.count({ where: { threadId } })).toBe(3);
    // A signed-out page served from the page cache gives every visitor the same token: each visitor's
    // sign-up is still their own, and so is another member's comment sent with a copied token.
    const otherClient = await signedIn(other);
    const copied = { ...(await formOf(otherClient, path, {})), intent: "comment", postId: String(postId), body: "First remark on the question.", formToken: form.formToken! };
    await sendCopies(otherClient, path, copied, { atOnce: 1 });
    expect(await prisma.comment.count({ where: { threadId } })).toBe(4);
  });

  test("a token that was altered is refused with a message (400) and nothing is written", async () => {
    const asker = await makeUser();
    const { threadId, postId } = await makeQuestion(asker.id);
    const path = await threadPath(threadId);
    const client = await signedIn(asker);
    const form = await formOf(client, path, { intent: "comment", postId: String(postId), body: "A comment with a forged token." });
    expect(form.formToken).toBeTruthy();
    const [issued, nonce] = form.formToken!.split(".");
    const forged = { ...form, formToken: `${issued}.${nonce}.${"A".repeat(22)}` };
    const [reply] = await sendCopies(client, path, forged, { atOnce: 1 });
    expect(reply!.status).toBe(400);
    expect(JSON.stringify(inEnglish(reply!.body))).toContain("send it again");
    expect(await prisma.comment.count({ where: { postId } })).toBe(0);
  });
});
