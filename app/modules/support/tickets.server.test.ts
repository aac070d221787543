import { describe, expect, test } from "vitest";
import { recordArticleView } from "~/modules/kb/record-article-view.server.ts";
import { giveFeedback } from "~/modules/kb/give-feedback.server.ts";
import { recordView } from "~/modules/questions/record-view.server.ts";
import { getCurrentUser, startSession } from "~/modules/users/sessions.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { ensureVisitorId } from "~/utils/visitor.server.ts";
import { makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { createTicket } from "./create-ticket.server.ts";
import { memberJourney } from "./journey-queries.server.ts";
import { getTicketPage, listQueue } from "./ticket-queries.server.ts";
import { addTicketMessage, assignTicket, changeTicketPriority, changeTicketStatus, publishReplyAsAnswer, solveTicket } from "./work-ticket.server.ts";

async function actorOf(id: string) {
  const u = await prisma.user.findUniqueOrThrow({ where: { id }, select: { id: true, role: true, status: true } });
  return { id: u.id, role: u.role, status: u.status };
}

async function makeArticle(authorId: string, title = "Exporting invoices") {
  const category = await makeCategory("Billing");
  return prisma.article.create({
    data: { categoryId: category.id, slug: `a-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`, title, bodyJson: {}, bodyHtml: "<p>x</p>", bodyText: "x", status: "published", ownerId: authorId, authorId },
  });
}

/** A browser with a visitor cookie, as the pages set it. */
async function browser() {
  const v = await ensureVisitorId(new Request("http://localhost/"));
  return { id: v.id, cookie: v.setCookie!.split(";")[0]! };
}

describe("the customer's journey", () => {
  test("is stitched across sign-in: searches, article views and 'not helpful' before signing in join the member's journey", async () => {
    const staff = await makeUser({ role: "staff" });
    const customer = await makeUser({ displayName: "顾客 Ana" });
    const article = await makeArticle(staff.id, "如何导出发票");
    const b = await browser();
    // Signed out: a search (as the search log writes it), an article read, "not helpful".
    await prisma.searchQuery.create({ data: { query: "导出 facturi", terms: ["导出"], resultCount: 3, source: "page", visitorKey: `a:${b.id}`, createdAt: new Date(Date.now() - 10 * 60_000) } });
    expect((await recordArticleView(article.id, { userId: null, anonId: b.id })).ok).toBe(true);
    expect((await giveFeedback(article.id, { userId: null, anonId: b.id }, { helpful: "no", comment: "" })).ok).toBe(true);
    // Before sign-in the member's journey does not know this browser.
    const since = new Date(Date.now() - 3600_000);
    expect((await memberJourney(customer.id, since, new Date(Date.now() + 1000))).map((s) => s.kind)).toEqual([]);

    await startSession(customer.id, new Request("http://localhost/login", { method: "POST", headers: { Cookie: b.cookie } }));
    const journey = await memberJourney(customer.id, since, new Date(Date.now() + 1000));
    expect(journey.map((s) => [s.kind, s.label])).toEqual([
      ["search", "导出 facturi"],
      ["article_view", "如何导出发票"],
      ["feedback", "如何导出发票"],
    ]);
    expect(journey[0]).toMatchObject({ count: 3, run: 1 });
    expect(journey[2]!.detail).toBe("no");
    // The search was 10 minutes before the article: one run, and the search "took" about 10 minutes.
    expect(journey[0]!.seconds).toBeGreaterThan(590);
    // Another member never sees this browser's activity.
    const other = await makeUser();
    expect(await memberJourney(other.id, since, new Date(Date.now() + 1000))).toEqual([]);
  });

  test("a gap of 30 minutes or more starts a new run, and time on page stops at the run's end", async () => {
    const customer = await makeUser();
    const key = `u:${customer.id}`;
    const t0 = Date.now() - 3 * 3600_000;
    for (const [minutes, query] of [[0, "one"], [5, "two"], [40, "three"]] as const) {
      await prisma.searchQuery.create({ data: { query, resultCount: 0, source: "page", visitorKey: key, userId: customer.id, createdAt: new Date(t0 + minutes * 60_000) } });
    }
    const journey = await memberJourney(customer.id, new Date(t0 - 1000), new Date());
    expect(journey.map((s) => [s.label, s.run, s.seconds])).toEqual([
      ["one", 1, 300],
      ["two", 1, null],
      ["three", 2, null],
    ]);
  });
});

describe("Still need help? → a ticket", () => {
  test("a ticket keeps where it came from; staff see the journey of the last 7 days on it, the customer sees no notes, others get nothing", async () => {
    const staff = await makeUser({ role: "staff" });
    const customer = await makeUser();
    const { threadId } = await makeQuestion(customer.id, { title: "Facturile nu se exportă în România" });
    await recordView(threadId, { userId: customer.id, anonId: null });
    const old = new Date(Date.now() - 8 * 24 * 3600_000);
    await prisma.searchQuery.create({ data: { query: "too old", resultCount: 1, source: "page", visitorKey: `u:${customer.id}`, createdAt: old } });
    const created = await createTicket(await actorOf(customer.id), null, { source: "thread", threadId: threadId.toString(), message: "Încă nu merge" });
    expect(created.ok).toBe(true);
    const ticketId = created.ok ? created.value.ticketId : 0n;

    await addTicketMessage(await actorOf(staff.id), ticketId, "note", { body: "internal: check billing flag" });
    const forStaff = await getTicketPage(await actorOf(staff.id), ticketId);
    expect(forStaff!.thread!.title).toBe("Facturile nu se exportă în România");
    expect(forStaff!.journey!.map((s) => s.kind)).toEqual(["question.asked", "thread_view", "ticket"]);
    expect(forStaff!.messages.map((m) => m.kind)).toEqual(["note"]);

    const forCustomer = await getTicketPage(await actorOf(customer.id), ticketId);
    expect(forCustomer!.messages).toEqual([]);
    expect(forCustomer!.journey).toBeNull();
    expect(await getTicketPage(await actorOf((await makeUser()).id), ticketId)).toBeNull();
    expect(await getTicketPage(await actorOf((await makeUser({ role: "moderator" })).id), ticketId)).toBeNull();
    expect(await getTicketPage(null, ticketId)).toBeNull();
  });

  test("bad input is a 400 with field errors and writes nothing; an unknown thread is not found", async () => {
    const customer = await actorOf((await makeUser()).id);
    const before = await prisma.supportTicket.count();
    expect(await createTicket(customer, null, { source: "thread" })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { threadId: expect.any(Array) } });
    expect(await createTicket(customer, null, { source: "elsewhere" })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { source: expect.any(Array) } });
    expect(await createTicket(customer, null, { source: "ask", message: "x".repeat(2001) })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { message: expect.any(Array) } });
    expect(await createTicket(customer, null, { source: "ask", message: "bell\u0007" })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await createTicket(customer, null, { source: "thread", threadId: "999999999" })).toMatchObject({ ok: false, kind: "not-found" });
    expect(await createTicket(null, null, { source: "ask" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await prisma.supportTicket.count()).toBe(before);
  });
});

describe("working a ticket", () => {
  test("a member cannot assign, change status or priority, solve, add notes or publish (403), even on their own ticket", async () => {
    const customer = await actorOf((await makeUser()).id);
    const staff = await makeUser({ role: "staff" });
    const created = await createTicket(customer, null, { source: "ask", message: "help" });
    const id = created.ok ? created.value.ticketId : 0n;
    expect(await assignTicket(customer, id, { assigneeId: customer.id })).toMatchObject({ kind: "forbidden" });
    expect(await assignTicket(customer, id, { assigneeId: staff.id })).toMatchObject({ kind: "forbidden" });
    expect(await changeTicketStatus(customer, id, { status: "closed" })).toMatchObject({ kind: "forbidden" });
    expect(await changeTicketPriority(customer, id, { priority: "urgent" })).toMatchObject({ kind: "forbidden" });
    expect(await solveTicket(customer, id, { outcome: "not_a_problem" })).toMatchObject({ kind: "forbidden" });
    expect(await addTicketMessage(customer, id, "note", { body: "sneaky" })).toMatchObject({ kind: "forbidden" });
    expect(await addTicketMessage(customer, id, "reply", { body: "sneaky" })).toMatchObject({ kind: "forbidden" });
    // Another member is told it does not exist.
    const stranger = await actorOf((await makeUser()).id);
    expect(await addTicketMessage(stranger, id, "customer", { body: "hi" })).toMatchObject({ kind: "not-found" });
    expect(await assignTicket(stranger, id, { assigneeId: "" })).toMatchObject({ kind: "not-found" });
    const row = await prisma.supportTicket.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "new", priority: "normal", assigneeId: null, outcome: null });
    expect(await prisma.ticketMessage.count({ where: { ticketId: id } })).toBe(0);
  });

  test("take, reply (first response, waiting on customer), customer reply (waiting since), solve with an outcome, close; the customer cannot reply once closed", async () => {
    const customer = await actorOf((await makeUser()).id);
    const staff = await actorOf((await makeUser({ role: "staff" })).id);
    const admin = await actorOf((await makeUser({ role: "admin" })).id);
    const asker = await makeQuestion(customer.id);
    const created = await createTicket(customer, null, { source: "thread", threadId: asker.threadId.toString() });
    const id = created.ok ? created.value.ticketId : 0n;
    expect((await prisma.supportTicket.findUniqueOrThrow({ where: { id } })).waitingSince).not.toBeNull();

    expect(await assignTicket(staff, id, { assigneeId: staff.id })).toEqual({ ok: true, value: { assigneeId: staff.id } });
    expect(await assignTicket(staff, id, { assigneeId: customer.id })).toMatchObject({ kind: "invalid", fieldErrors: { assigneeId: expect.any(Array) } });
    expect(await assignTicket(staff, id, { assigneeId: admin.id })).toMatchObject({ ok: true });
    expect((await changeTicketPriority(staff, id, { priority: "high" })).ok).toBe(true);
    expect(await changeTicketPriority(staff, id, { priority: "whenever" })).toMatchObject({ kind: "invalid" });
    expect(await changeTicketStatus(staff, id, { status: "solved" })).toMatchObject({ kind: "invalid", fieldErrors: { status: expect.any(Array) } });

    const reply = await addTicketMessage(staff, id, "reply", { body: "Open Billing → Export. 在账单里导出。" });
    expect(reply.ok).toBe(true);
    let row = await prisma.supportTicket.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "waiting", waitingSince: null, priority: "high", assigneeId: admin.id });
    expect(row.firstResponseAt).not.toBeNull();

    expect((await addTicketMessage(customer, id, "customer", { body: "Still no button" })).ok).toBe(true);
    row = await prisma.supportTicket.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("open");
    expect(row.waitingSince).not.toBeNull();

    expect(await solveTicket(staff, id, { outcome: "thread" })).toMatchObject({ kind: "invalid", fieldErrors: { link: expect.any(Array) } });
    expect(await solveTicket(staff, id, { outcome: "article", link: "https://evil.example/x" })).toMatchObject({ kind: "invalid", fieldErrors: { link: expect.any(Array) } });
    expect(await solveTicket(staff, id, { outcome: "staff_answer" })).toEqual({ ok: true, value: { outcome: "staff_answer" } });
    row = await prisma.supportTicket.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "solved", outcome: "staff_answer", waitingSince: null });
    expect(row.resolvedAt).not.toBeNull();

    expect((await changeTicketStatus(staff, id, { status: "closed" })).ok).toBe(true);
    expect(await addTicketMessage(customer, id, "customer", { body: "one more thing" })).toMatchObject({ ok: false, kind: "conflict" });

    const audit = await prisma.auditEntry.findMany({ where: { targetType: "ticket", targetId: id.toString() }, orderBy: { id: "asc" }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(["ticket.assigned", "ticket.assigned", "ticket.priority_changed", "ticket.solved", "ticket.status_changed"]);
    const events = await prisma.domainEvent.findMany({ where: { subjectType: "ticket", subjectId: id.toString() }, orderBy: { id: "asc" }, select: { type: true } });
    expect(events.map((e) => e.type)).toEqual(["ticket.created", "ticket.updated", "ticket.updated", "ticket.updated", "ticket.replied", "ticket.customer_replied", "ticket.updated", "ticket.updated"]);
  });

  test("'Publish as staff answer' copies a staff reply into the public thread once, with the Staff mark", async () => {
    const customer = await actorOf((await makeUser()).id);
    const staff = await actorOf((await makeUser({ role: "staff" })).id);
    const { threadId } = await makeQuestion(customer.id);
    await makeAnswer((await makeUser()).id, threadId);
    const created = await createTicket(customer, null, { source: "thread", threadId: threadId.toString() });
    const id = created.ok ? created.value.ticketId : 0n;
    const reply = await addTicketMessage(staff, id, "reply", { body: "Use Billing → Invoices → Export (CSV).\n\nIt takes a minute." });
    const note = await addTicketMessage(staff, id, "note", { body: "customer is on the old plan" });
    const replyId = reply.ok ? reply.value.messageId : 0n;
    expect(await publishReplyAsAnswer(customer, id, replyId)).toMatchObject({ kind: "forbidden" });
    expect(await publishReplyAsAnswer(staff, id, note.ok ? note.value.messageId : 0n)).toMatchObject({ kind: "conflict" });
    const published = await publishReplyAsAnswer(staff, id, replyId);
    expect(published.ok).toBe(true);
    const again = await publishReplyAsAnswer(staff, id, replyId);
    expect(again).toEqual(published);
    const answers = await prisma.post.findMany({ where: { threadId, kind: "answer", byStaff: true }, select: { bodyText: true } });
    expect(answers).toHaveLength(1);
    expect(answers[0]!.bodyText).toContain("Billing → Invoices → Export (CSV).");
  });

  test("a reply on a ticket without a thread is published as a new public question in the staff member's name, then answered", async () => {
    const customer = await actorOf((await makeUser()).id);
    const staff = await actorOf((await makeUser({ role: "staff" })).id);
    const article = await makeArticle(staff.id, "Exportul facturilor");
    const created = await createTicket(customer, null, { source: "article", articleId: article.id.toString(), message: "my private words" });
    const id = created.ok ? created.value.ticketId : 0n;
    const reply = await addTicketMessage(staff, id, "reply", { body: "Billing → Invoices → Export as CSV." });
    const replyId = reply.ok ? reply.value.messageId : 0n;
    expect(await publishReplyAsAnswer(staff, id, replyId, { title: "" })).toMatchObject({ kind: "invalid", fieldErrors: { title: expect.any(Array) } });
    const published = await publishReplyAsAnswer(staff, id, replyId, { title: "Cum export facturile ca CSV?", tags: "billing" });
    expect(published.ok).toBe(true);
    const threadId = published.ok ? published.value.threadId : 0n;
    const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { authorId: true, categoryId: true, title: true, answerCount: true } });
    expect(thread).toEqual({ authorId: staff.id, categoryId: article.categoryId, title: "Cum export facturile ca CSV?", answerCount: 1 });
    expect(await prisma.post.count({ where: { threadId, bodyText: { contains: "my private words" } } })).toBe(0);
    expect((await prisma.supportTicket.findUniqueOrThrow({ where: { id } })).threadId).toBe(threadId);
    expect(await publishReplyAsAnswer(staff, id, replyId)).toEqual(published);
  });

  test("two staff members publishing the same reply at the same moment make one question and one answer, and both get them", async () => {
    const customer = await actorOf((await makeUser()).id);
    const [first, second] = [await actorOf((await makeUser({ role: "staff" })).id), await actorOf((await makeUser({ role: "staff" })).id)];
    const created = await createTicket(customer, null, { source: "ask", message: "导出发票的按钮在哪里？" });
    const id = created.ok ? created.value.ticketId : 0n;
    const reply = await addTicketMessage(first, id, "reply", { body: "账单 → 发票 → 导出 CSV。" });
    const replyId = reply.ok ? reply.value.messageId : 0n;
    const [a, b] = await Promise.all([
      publishReplyAsAnswer(first, id, replyId, { title: "如何把发票导出为 CSV？", tags: "billing" }),
      publishReplyAsAnswer(second, id, replyId, { title: "Where is the invoice export button?", tags: "billing" }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect(b).toEqual(a);
    const threadId = a.ok ? a.value.threadId : 0n;
    expect(await prisma.thread.count({ where: { authorId: { in: [first.id, second.id] } } })).toBe(1);
    expect(await prisma.post.count({ where: { kind: "answer", authorId: { in: [first.id, second.id] } } })).toBe(1);
    expect((await prisma.supportTicket.findUniqueOrThrow({ where: { id } })).threadId).toBe(threadId);
    expect((await prisma.ticketMessage.findUniqueOrThrow({ where: { id: replyId } })).publishedPostId).toBe(a.ok ? a.value.postId : 0n);
  });

  test("the queue lists open tickets, the longest waiting first, and filters by status, assignee, priority and source", async () => {
    const staff = await actorOf((await makeUser({ role: "staff" })).id);
    const a = await createTicket(await actorOf((await makeUser()).id), null, { source: "ask", message: "first" });
    const b = await createTicket(await actorOf((await makeUser()).id), null, { source: "search", message: "second" });
    const idA = a.ok ? a.value.ticketId : 0n;
    const idB = b.ok ? b.value.ticketId : 0n;
    await assignTicket(staff, idB, { assigneeId: staff.id });
    await changeTicketPriority(staff, idB, { priority: "urgent" });
    const all = await listQueue({ status: "active", assignee: "", priority: "", source: "" }, staff.id);
    const ids = all.rows.map((r) => r.id);
    expect(ids.indexOf(idA.toString())).toBeLessThan(ids.indexOf(idB.toString()));
    expect((await listQueue({ status: "active", assignee: "me", priority: "", source: "" }, staff.id)).rows.map((r) => r.id)).toEqual([idB.toString()]);
    expect((await listQueue({ status: "active", assignee: "", priority: "urgent", source: "" }, staff.id)).rows.map((r) => r.id)).toContain(idB.toString());
    expect((await listQueue({ status: "active", assignee: "", priority: "", source: "search" }, staff.id)).rows.map((r) => r.id)).not.toContain(idA.toString());
    expect((await listQueue({ status: "open", assignee: "", priority: "", source: "" }, staff.id)).rows.map((r) => r.id)).toContain(idB.toString());
  });
});

describe("signing in ties the browser to the member", () => {
  test("startSession writes one visitor link per browser, and none without a visitor cookie", async () => {
    const m = await makeUser();
    const b = await browser();
    await startSession(m.id, new Request("http://localhost/login", { method: "POST", headers: { Cookie: b.cookie } }));
    await startSession(m.id, new Request("http://localhost/login", { method: "POST", headers: { Cookie: b.cookie } }));
    const cookie = await startSession(m.id, new Request("http://localhost/login", { method: "POST" }));
    expect(await prisma.visitorLink.findMany({ where: { userId: m.id }, select: { visitorId: true } })).toEqual([{ visitorId: b.id }]);
    expect(await getCurrentUser(new Request("http://localhost/", { headers: { Cookie: cookie.split(";")[0]! } }))).toMatchObject({ id: m.id });
  });
});

describe("the customer hears about a staff reply", () => {
  test("a staff reply notifies the customer once (not a note), with a link to the ticket and a sentence of its own, in the app and in the e-mail", async () => {
    const { drainEvents } = await import("../../../tests/support/factories.ts");
    const { listNotifications } = await import("~/modules/notifications/notification-queries.server.ts");
    const { renderNotificationEmail } = await import("~/modules/notifications/notification-email.server.tsx");
    const customer = await makeUser({ displayName: "Ioana 客户" });
    const staff = await actorOf((await makeUser({ role: "staff" })).id);
    const created = await createTicket(await actorOf(customer.id), null, { source: "ask", message: "help" });
    const id = created.ok ? created.value.ticketId : 0n;
    await addTicketMessage(staff, id, "note", { body: "internal" });
    await addTicketMessage(staff, id, "reply", { body: "Here is how." });
    await drainEvents();
    await drainEvents();
    const items = (await listNotifications(customer.id)).items.filter((n) => n.kind === "ticket_reply");
    expect(items).toHaveLength(1);
    const mail = renderNotificationEmail({ userId: customer.id, handle: customer.handle, displayName: customer.displayName }, items[0]!);
    expect(mail.subject).toContain("Support replied to your request");
    expect(mail.text).toContain(`/support/tickets/${id}`);
    expect(mail.text).toContain("You get this because you asked for help.");
  });
});
