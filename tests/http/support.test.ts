import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";
import { formOf, sameReplies, sendCopies } from "../support/form-submissions.ts";

/**
 * "Still need help?" over HTTP against the built server (issue 20): the journey of a visitor before
 * signing in reaches the ticket, a form sent several times creates one ticket, bad input is a 400 with
 * field errors, another member gets 404 on the direct URL, and a member's staff-only actions get 403.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

async function signedIn(email: string, client = new HttpClient(server.url)) {
  await client.signIn(email, GOOD_PASSWORD);
  return client;
}

async function publishedArticle(authorId: string, title: string) {
  const category = await makeCategory("Billing");
  const article = await prisma.article.create({
    data: { categoryId: category.id, slug: `export-${Date.now()}`, title, bodyJson: {}, bodyHtml: "<p>Open Billing.</p>", bodyText: "Open Billing.", status: "published", ownerId: authorId, authorId },
  });
  return { article, path: `/kb/${category.slug}/${article.slug}` };
}

describe("Still need help? over HTTP", () => {
  test("a visitor reads an article and says it did not help, signs in, asks once (sent 3 times at once and once more): one ticket, with that article on its journey for staff", async () => {
    const staff = await makeUser({ role: "staff" });
    const customer = await makeUser();
    const { article, path } = await publishedArticle(staff.id, "Cum export facturile 导出发票");
    const visitor = new HttpClient(server.url);
    expect((await visitor.get(path)).status).toBe(200);
    expect((await visitor.post(`/kb/articles/${article.id}/view`, {}, { csrf: await visitor.csrfToken(path) })).status).toBe(200);
    const feedback = await formOf(visitor, path, { intent: "feedback", articleId: article.id.toString(), helpful: "no", comment: "" });
    expect((await visitor.post(`${path}?index`, feedback, { csrf: feedback.csrf })).status).toBeLessThan(400);
    const page = await (await visitor.get(path)).text();
    expect(page).toContain(`/support/new?source=article&amp;articleId=${article.id}`);

    await signedIn(customer.email, visitor);
    const form = await formOf(visitor, `/support/new?source=article&articleId=${article.id}`, { source: "article", articleId: article.id.toString(), message: "Tot nu găsesc butonul 按钮" });
    const replies = await sendCopies(visitor, "/support/new", form, { atOnce: 3, after: 1 });
    sameReplies(replies);
    const tickets = await prisma.supportTicket.findMany({ where: { customerId: customer.id }, select: { id: true, source: true, articleId: true, message: true } });
    expect(tickets).toEqual([{ id: expect.any(BigInt), source: "article", articleId: article.id, message: "Tot nu găsesc butonul 按钮" }]);
    const ticketPath = `/support/tickets/${tickets[0]!.id}`;
    expect(replies[0]!.redirect).toBe(`${ticketPath}?created=1`);

    const staffClient = await signedIn(staff.email);
    const staffPage = await (await staffClient.get(ticketPath)).text();
    expect(staffPage).toContain('data-kind="article_view"');
    expect(staffPage).toContain('data-kind="feedback"');
    expect(staffPage).toContain("Cum export facturile 导出发票");

    const customerPage = await visitor.get(ticketPath);
    expect(customerPage.status).toBe(200);
    expect(await customerPage.text()).not.toContain('data-testid="journey"');
  });

  test("another member gets 404 on a ticket's direct URL; a signed-out visitor is sent to sign in; an unknown id is 404", async () => {
    const customer = await makeUser();
    const ticket = await prisma.supportTicket.create({ data: { customerId: customer.id, source: "ask", message: "secret 秘密" } });
    const other = await signedIn((await makeUser()).email);
    const response = await other.get(`/support/tickets/${ticket.id}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("secret 秘密");
    expect((await other.get(`/support/tickets/${ticket.id}?_data=routes%2Fsupport.tickets.%24id`)).status).toBe(404);
    expect((await other.get("/support/tickets/99999999999")).status).toBe(404);
    expect((await other.get("/support/tickets/abc")).status).toBe(404);
    const anonymous = await new HttpClient(server.url).get(`/support/tickets/${ticket.id}`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toContain("/login");
  });

  test("bad input answers 400 with field errors and writes nothing", async () => {
    const customer = await makeUser();
    const client = await signedIn(customer.email);
    const before = await prisma.supportTicket.count();
    for (const fields of [{ source: "thread" }, { source: "nowhere" }, { source: "ask", message: "x".repeat(2001) }] as Record<string, string>[]) {
      const form = await formOf(client, "/support/new", fields);
      const reply = (await sendCopies(client, "/support/new", form, { atOnce: 1 }))[0]!;
      expect(reply.status).toBe(400);
      expect(Object.keys((reply.body as { fieldErrors: Record<string, string[]> }).fieldErrors).length).toBeGreaterThan(0);
    }
    expect(await prisma.supportTicket.count()).toBe(before);
  });

  test("a member cannot change status, assign or write internal notes on their own ticket (403); the customer never sees notes; staff can", async () => {
    const customer = await makeUser();
    const staff = await makeUser({ role: "staff" });
    const { threadId } = await makeQuestion(customer.id);
    const ticket = await prisma.supportTicket.create({ data: { customerId: customer.id, source: "thread", threadId } });
    const path = `/support/tickets/${ticket.id}`;
    const client = await signedIn(customer.email);
    for (const fields of [{ intent: "status", status: "closed" }, { intent: "take" }, { intent: "assign", assigneeId: customer.id }, { intent: "note", body: "note" }, { intent: "priority", priority: "urgent" }] as Record<string, string>[]) {
      const form = await formOf(client, path, fields);
      expect((await sendCopies(client, path, form, { atOnce: 1 }))[0]!.status).toBe(403);
    }
    const staffClient = await signedIn(staff.email);
    const note = await formOf(staffClient, path, { intent: "note", body: "Internal: refund approved 退款" });
    expect((await sendCopies(staffClient, path, note, { atOnce: 1 }))[0]!.status).toBe(200);
    const reply = await formOf(staffClient, path, { intent: "reply", body: "We fixed your account." });
    expect((await sendCopies(staffClient, path, reply, { atOnce: 1 }))[0]!.status).toBe(200);
    expect(await (await staffClient.get(path)).text()).toContain("Internal: refund approved 退款");
    const customerView = await (await client.get(path)).text();
    expect(customerView).not.toContain("refund approved");
    expect(customerView).toContain("We fixed your account.");
    const customerReply = await formOf(client, path, { intent: "customer", body: "Thanks!" });
    expect((await sendCopies(client, path, customerReply, { atOnce: 1 }))[0]!.status).toBe(200);
    expect((await prisma.supportTicket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("open");
    expect((await client.get("/support")).status).toBe(200);
    expect(await (await client.get("/support")).text()).not.toContain('data-testid="support-queue"');
    expect(await (await staffClient.get("/support")).text()).toContain('data-testid="support-queue"');
  });

  test("the dashboard shows the escalation figures, each with its CSV, to staff only", async () => {
    const staff = await signedIn((await makeUser({ role: "staff" })).email);
    const customer = await makeUser();
    await prisma.supportTicket.create({ data: { customerId: customer.id, source: "search", message: "x" } });
    const page = await (await staff.get("/dashboard?range=7")).text();
    expect(page).toContain('data-testid="support-metrics"');
    for (const name of ["escalation-rate", "tickets-by-source", "ticket-times", "verified-resolution", "journey-deflection"]) {
      expect(page).toContain(`/dashboard/export/${name}?`);
      const csv = await staff.get(`/dashboard/export/${name}?range=7`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toContain("text/csv");
    }
    const rows = (await (await staff.get("/dashboard/export/tickets-by-source?range=7")).text()).trim().split(/\r?\n/);
    expect(rows[0]).toBe("source,outcome,tickets");
    expect(rows).toContain("search,none,1");
    const member = await signedIn(customer.email);
    expect((await member.get("/dashboard/export/escalation-rate?range=7")).status).toBe(403);
  });

  test("the thread shows staff every routing step; the asker answers Did this fix it? once, No shows it unresolved and offers help", async () => {
    const { routeUnansweredQuestions } = await import("~/modules/support/route-questions.server.ts");
    const { askResolutionChecks } = await import("~/modules/support/verify-resolution.server.ts");
    const { makeAnswer } = await import("../support/factories.ts");
    const { acceptAnswer } = await import("~/modules/questions/accept-answer.server.ts");
    const asker = await makeUser();
    const staffUser = await makeUser({ role: "staff" });
    const unanswered = await makeQuestion(asker.id, { title: "Unanswered question routed to experts" });
    const t0 = new Date(Date.now() - 3 * 24 * 3600_000);
    await prisma.thread.update({ where: { id: unanswered.threadId }, data: { createdAt: t0 } });
    await routeUnansweredQuestions(new Date(t0.getTime() + 12 * 3600_000));
    await routeUnansweredQuestions(new Date(t0.getTime() + 36 * 3600_000));
    const staff = await signedIn(staffUser.email);
    const routed = await (await staff.get(`/questions/${unanswered.threadId}`)).headers.get("location");
    const staffPage = await (await staff.get(routed!)).text();
    expect(staffPage).toContain('data-testid="support-steps"');
    expect(staffPage).toContain("Offered to the category");
    expect(staffPage).toContain("Escalated to a ticket");
    const member = await signedIn((await makeUser()).email);
    expect(await (await member.get(routed!)).text()).not.toContain('data-testid="support-steps"');

    const { threadId } = await makeQuestion(asker.id, { title: "Accepted question to verify later" });
    const answerId = await makeAnswer(staffUser.id, threadId);
    await acceptAnswer(asker.id, threadId, answerId);
    await prisma.thread.update({ where: { id: threadId }, data: { resolvedAt: new Date(Date.now() - 4 * 24 * 3600_000) } });
    await askResolutionChecks();
    const askerClient = await signedIn(asker.email);
    const path = (await askerClient.get(`/questions/${threadId}`)).headers.get("location")!;
    expect(await (await askerClient.get(path)).text()).toContain("Did this fix it?");
    const stranger = new HttpClient(server.url);
    await signedIn((await makeUser()).email, stranger);
    const csrfStranger = await stranger.csrfToken(path);
    expect((await stranger.post(`/questions/${threadId}/resolution`, { verdict: "yes" }, { csrf: csrfStranger })).status).toBe(403);
    const csrf = await askerClient.csrfToken(path);
    expect((await askerClient.post(`/questions/${threadId}/resolution`, { verdict: "maybe" }, { csrf })).status).toBe(400);
    expect((await askerClient.post(`/questions/${threadId}/resolution`, { verdict: "no" }, { csrf })).status).toBe(302);
    expect((await askerClient.post(`/questions/${threadId}/resolution`, { verdict: "yes" }, { csrf })).status).toBe(409);
    const after = await (await askerClient.get(path)).text();
    expect(after).toContain('data-testid="unresolved"');
    expect(after).toContain(`/support/new?source=thread&amp;threadId=${threadId}`);
    expect(after).not.toContain("Did this fix it?");
  });
});
