import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiKey } from "~/modules/api/api-keys.server.ts";
import { encodeKeysetCursor } from "~/modules/api/keyset-cursor.ts";
import { publishArticle, archiveArticle } from "~/modules/kb/change-article-status.server.ts";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { getDashboardPage } from "~/modules/metrics/dashboard-queries.server.ts";
import { createTicket, insertTicket } from "~/modules/support/create-ticket.server.ts";
import { addTicketMessage } from "~/modules/support/work-ticket.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { startAppServer } from "../support/app-server.ts";
import { docJson, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * The JSON API's knowledge base, staff dashboard and tickets (issue 22, ADR 063) against the built server:
 * the same queries, use cases and policies as /kb, /dashboard and /support, cursors, problem details,
 * scopes and Idempotency-Key.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

type Role = Actor["role"];
const actorOf = (u: { id: string }, role: Role = "member"): Actor => ({ id: u.id, role, status: "active" });

async function keyFor(user: { id: string }, role: Role, scope: "read" | "write" = "write"): Promise<string> {
  const made = await createApiKey(actorOf(user, role), { name: `key ${scope}`, scope });
  if (!made.ok || !made.value.token) throw new Error(JSON.stringify(made));
  return made.value.token;
}

async function api(method: "GET" | "POST", pathname: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.Authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(server.url + pathname, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type") ?? "", body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { items?: { id: string }[]; nextCursor?: string | null; errors?: Record<string, string[]> } };
}

let slugCounter = 0;
async function kbCategory(name: string) {
  slugCounter += 1;
  const category = await makeCategory(`${name} ${slugCounter}`);
  return prisma.category.findUniqueOrThrow({ where: { id: category.id }, select: { id: true, slug: true } });
}

async function article(authorId: string, categoryId: number, title: string, status: "draft" | "published" | "archived" = "published"): Promise<string> {
  const made = await createArticle(authorId, { title, categoryId, tags: "billing", body: docJson(`${title}: open Billing, then Invoices, then choose Export and CSV.`) });
  if (!made.ok) throw new Error(JSON.stringify(made));
  if (status !== "draft") expect((await publishArticle(authorId, made.value.articleId)).ok).toBe(true);
  if (status === "archived") expect((await archiveArticle(authorId, made.value.articleId)).ok).toBe(true);
  return made.value.articleId.toString();
}

describe("articles", () => {
  test("published articles are listed by cursor to anyone; drafts and archived ones only for staff and moderators", async () => {
    const staff = await makeUser({ role: "staff" });
    const category = await kbCategory("Knowledge");
    const published: string[] = [];
    for (let i = 0; i < 30; i += 1) published.push(await article(staff.id, category.id, `Exporting invoices, part ${i + 1}`));
    published.push(await article(staff.id, category.id, "如何把发票导出为 CSV 文件"));
    const draft = await article(staff.id, category.id, "A draft about the coming export changes", "draft");
    const archived = await article(staff.id, category.id, "An archived note about the old export", "archived");

    // Anyone, without a key: two pages by cursor, every published article once, newest first, no draft.
    const first = await api("GET", `/api/v1/articles?category=${category.slug}`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(30);
    expect(first.body.items![0]).toMatchObject({ id: published[30], title: "如何把发票导出为 CSV 文件", status: "published", url: expect.stringContaining(`/kb/${category.slug}/`) });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api("GET", `/api/v1/articles?category=${category.slug}&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.body.nextCursor).toBeNull();
    const seen = [...first.body.items!, ...second.body.items!].map((a) => a.id);
    expect(seen.sort()).toEqual([...published].sort());
    expect(seen).not.toContain(draft);

    // Drafts: refused to visitors and members (as /kb shows them none), listed for moderators and staff.
    const member = await makeUser();
    expect((await api("GET", `/api/v1/articles?status=draft&category=${category.slug}`)).status).toBe(403);
    const refused = await api("GET", `/api/v1/articles?status=draft&category=${category.slug}`, { key: await keyFor(member, "member", "read") });
    expect(refused.status).toBe(403);
    expect(refused.type).toContain("application/problem+json");
    const moderator = await makeUser({ role: "moderator" });
    const moderatorKey = await keyFor(moderator, "moderator", "read");
    expect((await api("GET", `/api/v1/articles?status=draft&category=${category.slug}`, { key: moderatorKey })).body.items!.map((a) => a.id)).toEqual([draft]);
    expect((await api("GET", `/api/v1/articles?status=archived&category=${category.slug}`, { key: moderatorKey })).body.items!.map((a) => a.id)).toEqual([archived]);
  });

  test("one article by id: a draft or archived one is 404 to visitors and members, readable by staff with its helpfulness", async () => {
    const staff = await makeUser({ role: "staff" });
    const category = await kbCategory("Articles");
    const published = await article(staff.id, category.id, "Cum export facturile în format CSV");
    const draft = await article(staff.id, category.id, "Draft: the new export screen explained", "draft");
    const archived = await article(staff.id, category.id, "Archived: the old export screen", "archived");
    const memberKey = await keyFor(await makeUser(), "member", "read");

    const one = await api("GET", `/api/v1/articles/${published}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: published, title: "Cum export facturile în format CSV", status: "published", bodyHtml: expect.stringContaining("Invoices"), tags: ["billing"], helpfulness: null });
    for (const hidden of [draft, archived]) {
      expect((await api("GET", `/api/v1/articles/${hidden}`)).status).toBe(404);
      const asMember = await api("GET", `/api/v1/articles/${hidden}`, { key: memberKey });
      expect(asMember.status).toBe(404);
      expect(asMember.body).toMatchObject({ type: "/api/v1/problems#not-found", status: 404 });
    }
    const asStaff = await api("GET", `/api/v1/articles/${draft}`, { key: await keyFor(staff, "staff", "read") });
    expect(asStaff.status).toBe(200);
    expect(asStaff.body).toMatchObject({ status: "draft", helpfulness: { yes: 0, no: 0 } });
    expect((await api("GET", "/api/v1/articles/99999999999")).status).toBe(404);
    expect((await api("GET", "/api/v1/articles/abc")).status).toBe(404);
  });

  test("publish and archive: staff and moderators with a write key only; Idempotency-Key replays, another body is 409", async () => {
    const staff = await makeUser({ role: "staff" });
    const category = await kbCategory("Publishing");
    const draft = await article(staff.id, category.id, "Draft: exporting credit notes", "draft");
    const member = await makeUser();
    expect((await api("POST", `/api/v1/articles/${draft}/status`, { body: { status: "published" } })).status).toBe(401);
    expect((await api("POST", `/api/v1/articles/${draft}/status`, { key: await keyFor(member, "member"), body: { status: "published" } })).status).toBe(403);
    const moderator = await makeUser({ role: "moderator" });
    expect((await api("POST", `/api/v1/articles/${draft}/status`, { key: await keyFor(moderator, "moderator", "read"), body: { status: "published" } })).status).toBe(403);
    const bad = await api("POST", `/api/v1/articles/${draft}/status`, { key: await keyFor(moderator, "moderator"), body: { status: "deleted" } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty("status");
    expect((await prisma.article.findUniqueOrThrow({ where: { id: BigInt(draft) } })).status).toBe("draft");

    const key = await keyFor(moderator, "moderator");
    const headers = { "Idempotency-Key": "publish-credit-notes" };
    const published = await api("POST", `/api/v1/articles/${draft}/status`, { key, body: { status: "published" }, headers });
    expect(published).toMatchObject({ status: 200, body: { status: "published" } });
    expect(await api("POST", `/api/v1/articles/${draft}/status`, { key, body: { status: "published" }, headers })).toEqual(published);
    expect((await api("POST", `/api/v1/articles/${draft}/status`, { key, body: { status: "archived" }, headers })).status).toBe(409);
    expect((await prisma.article.findUniqueOrThrow({ where: { id: BigInt(draft) } })).status).toBe("published");
    expect(await prisma.auditEntry.count({ where: { action: "kb.article_published", targetId: draft } })).toBe(1);
    expect((await api("GET", `/api/v1/articles/${draft}`)).status).toBe(200);
  });

  test("bad cursors and parameters are 400 with field errors, for articles, tickets and questions", async () => {
    const staffKey = await keyFor(await makeUser({ role: "staff" }), "staff", "read");
    for (const path of ["/api/v1/articles?cursor=not-a-cursor", "/api/v1/articles?status=secret", "/api/v1/articles?category=Not%20A%20Slug", "/api/v1/questions?cursor=bm90LWEtY3Vyc29y"]) {
      const response = await api("GET", path);
      expect(response.status, path).toBe(400);
      expect(response.type).toContain("application/problem+json");
      expect(Object.keys(response.body.errors ?? {}).length, path).toBe(1);
    }
    for (const path of ["/api/v1/tickets?cursor=%7B%7D", "/api/v1/tickets?status=lost", "/api/v1/tickets?priority=whenever", "/api/v1/tickets?assignee=%27%20OR%201%3D1"]) {
      const response = await api("GET", path, { key: staffKey });
      expect(response.status, path).toBe(400);
      expect(response.body.errors, path).toBeDefined();
    }
    const forged = Buffer.from(JSON.stringify({ at: "yesterday", id: "1" })).toString("base64url");
    expect((await api("GET", `/api/v1/articles?cursor=${forged}`)).status).toBe(400);
  });
});

describe("the dashboard", () => {
  test("staff get the figures /dashboard shows for a range; no key 401, a member 403, a bad range 400 with field errors", async () => {
    const staff = await makeUser({ role: "staff" });
    const key = await keyFor(staff, "staff", "read");
    const response = await api("GET", "/api/v1/dashboard?range=7", { key });
    expect(response.status).toBe(200);
    const page = await getDashboardPage(actorOf(staff, "staff"), { range: "7" });
    if (!page.ok || !page.value.dashboard) throw new Error(JSON.stringify(page));
    expect(response.body.figures).toEqual(JSON.parse(JSON.stringify(page.value.dashboard.figures)));
    expect(response.body).toMatchObject({ range: { from: page.value.dashboard.scope.from, to: page.value.dashboard.scope.to, days: 7, bucket: "day", category: null }, support: { tickets: expect.any(Number) } });
    expect((response.body.series as unknown[]).length).toBe(7);

    expect((await api("GET", "/api/v1/dashboard")).status).toBe(401);
    expect((await api("GET", "/api/v1/dashboard", { key: await keyFor(await makeUser(), "member", "read") })).status).toBe(403);
    expect((await api("GET", "/api/v1/dashboard", { key: await keyFor(await makeUser({ role: "moderator" }), "moderator", "read") })).status).toBe(403);
    const backwards = await api("GET", "/api/v1/dashboard?range=custom&from=2026-02-10&to=2026-02-01", { key });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual({ to: ["The end date must be on or after the start date"] });
    expect((await api("GET", "/api/v1/dashboard?range=custom&from=2026-02-30&to=2026-03-01", { key })).body.errors).toHaveProperty("from");
    expect((await api("GET", "/api/v1/dashboard?category=no-such-category", { key })).body.errors).toEqual({ category: ["Unknown category"] });
    expect((await api("GET", "/api/v1/dashboard?range=365", { key })).status).toBe(400);
  });
});

describe("tickets", () => {
  test("the staff queue by cursor, waiting longest first with ties and unset times last; members 403, no key 401", async () => {
    const staff = await makeUser({ role: "staff" });
    const customer = await makeUser();
    const ids = await prisma.$transaction(async (tx) => {
      const made: bigint[] = [];
      for (let i = 0; i < 55; i += 1) made.push(await insertTicket(tx, { customerId: customer.id, visitorId: null, source: "search", threadId: null, articleId: null, message: `Export problem ${i} 导出`, actorId: customer.id }));
      return made;
    });
    // Ties (ten tickets share each instant) and tickets not waiting for staff (null) are the hard cases of a keyset.
    await prisma.$executeRaw`UPDATE support_tickets SET assignee_id = ${staff.id}, waiting_since = CASE WHEN id % 6 = 0 THEN NULL ELSE timestamptz '2026-11-01T08:00:00Z' + (id % 5)::int * interval '1 hour' END WHERE customer_id = ${customer.id}`;
    const key = await keyFor(staff, "staff", "read");
    const walked: { id: string; waitingSince: string | null }[] = [];
    let cursor: string | null | undefined = undefined;
    let pages = 0;
    do {
      const page = await api("GET", `/api/v1/tickets?status=all&assignee=${staff.id}${cursor ? `&cursor=${cursor}` : ""}`, { key });
      expect(page.status).toBe(200);
      walked.push(...(page.body.items as unknown as { id: string; waitingSince: string | null }[]));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 5);
    expect(pages).toBe(2);
    expect(walked.map((t) => t.id).sort()).toEqual(ids.map(String).sort());
    const key_ = (t: { id: string; waitingSince: string | null }) => [t.waitingSince ?? "9999", t.id.padStart(20, "0")].join(" ");
    expect(walked.map(key_)).toEqual([...walked].map(key_).sort());
    expect(walked.at(-1)!.waitingSince).toBeNull();

    const filtered = await api("GET", `/api/v1/tickets?status=all&assignee=${staff.id}&priority=urgent`, { key });
    expect(filtered.body.items).toEqual([]);
    expect((await api("GET", "/api/v1/tickets")).status).toBe(401);
    const asMember = await api("GET", "/api/v1/tickets", { key: await keyFor(customer, "member", "read") });
    expect(asMember.status).toBe(403);
    expect(asMember.type).toContain("application/problem+json");
    expect((await api("GET", `/api/v1/tickets?cursor=${encodeKeysetCursor({ at: null, id: "1" })}`, { key })).status).toBe(200);
  });

  test("a ticket with its journey and notes for staff; its customer sees it without them; anyone else gets 404", async () => {
    const [staff, customer, other] = [await makeUser({ role: "staff" }), await makeUser(), await makeUser()];
    const created = await createTicket(actorOf(customer), null, { source: "ask", message: "Exportul CSV se oprește la 1000 de rânduri" });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const id = created.value.ticketId;
    expect((await addTicketMessage(actorOf(staff, "staff"), id, "note", { body: "Internal: probably the row limit" })).ok).toBe(true);
    expect((await addTicketMessage(actorOf(staff, "staff"), id, "reply", { body: "We are looking into it" })).ok).toBe(true);

    const asStaff = await api("GET", `/api/v1/tickets/${id}`, { key: await keyFor(staff, "staff", "read") });
    expect(asStaff.status).toBe(200);
    expect(asStaff.body).toMatchObject({ id: String(id), source: "ask", message: "Exportul CSV se oprește la 1000 de rânduri", customer: { id: customer.id }, journey: expect.any(Array) });
    expect((asStaff.body.messages as { kind: string }[]).map((m) => m.kind)).toEqual(["note", "reply"]);

    const asCustomer = await api("GET", `/api/v1/tickets/${id}`, { key: await keyFor(customer, "member", "read") });
    expect(asCustomer.status).toBe(200);
    expect(asCustomer.body.journey).toBeNull();
    expect((asCustomer.body.messages as { kind: string }[]).map((m) => m.kind)).toEqual(["reply"]);

    expect((await api("GET", `/api/v1/tickets/${id}`, { key: await keyFor(other, "member", "read") })).status).toBe(404);
    expect((await api("GET", `/api/v1/tickets/${id}`)).status).toBe(401);
  });

  test("staff reply, assign, prioritise, change status and solve through the ticket page's use cases; members and read keys cannot", async () => {
    const [staff, colleague, customer, other] = [await makeUser({ role: "staff" }), await makeUser({ role: "staff" }), await makeUser(), await makeUser()];
    const created = await createTicket(actorOf(customer), null, { source: "ask", message: "导出按钮不见了" });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const id = created.value.ticketId;
    const key = await keyFor(staff, "staff");
    const readKey = await keyFor(staff, "staff", "read");
    const customerKey = await keyFor(customer, "member");

    // Reply with Idempotency-Key: copies at once and a retry write one message; another body is 409.
    const headers = { "Idempotency-Key": "reply-42" };
    const reply = { kind: "reply", body: "导出在“账单 → 发票”菜单里。" };
    const replies = await Promise.all([api("POST", `/api/v1/tickets/${id}/messages`, { key, body: reply, headers }), api("POST", `/api/v1/tickets/${id}/messages`, { key, body: reply, headers })]);
    const retry = await api("POST", `/api/v1/tickets/${id}/messages`, { key, body: reply, headers });
    expect([...replies, retry].map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set([...replies, retry].map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect((await api("POST", `/api/v1/tickets/${id}/messages`, { key, body: { ...reply, body: "Something else" }, headers })).status).toBe(409);
    expect(await prisma.ticketMessage.count({ where: { ticketId: id, kind: "reply" } })).toBe(1);
    expect((await prisma.supportTicket.findUniqueOrThrow({ where: { id } })).status).toBe("waiting");

    // Members: a note on their own ticket and every staff action are 403; someone else's ticket is 404.
    expect((await api("POST", `/api/v1/tickets/${id}/messages`, { key: customerKey, body: { kind: "note", body: "let me in" } })).status).toBe(403);
    expect((await api("POST", `/api/v1/tickets/${id}/assign`, { key: customerKey, body: { assigneeId: customer.id } })).status).toBe(403);
    expect((await api("POST", `/api/v1/tickets/${id}/solve`, { key: customerKey, body: { outcome: "not_a_problem" } })).status).toBe(403);
    expect((await api("POST", `/api/v1/tickets/${id}/priority`, { key: await keyFor(other, "member"), body: { priority: "urgent" } })).status).toBe(404);
    expect((await api("POST", `/api/v1/tickets/${id}/messages`, { key: customerKey, body: { kind: "customer", body: "Mulțumesc, am găsit-o." } })).status).toBe(201);
    // A read key cannot write; no key is 401.
    expect((await api("POST", `/api/v1/tickets/${id}/priority`, { key: readKey, body: { priority: "urgent" } })).status).toBe(403);
    expect((await api("POST", `/api/v1/tickets/${id}/priority`, { body: { priority: "urgent" } })).status).toBe(401);

    // Bad input: 400 with field errors in words, nothing changed.
    const notStaff = await api("POST", `/api/v1/tickets/${id}/assign`, { key, body: { assigneeId: customer.id } });
    expect(notStaff.status).toBe(400);
    expect(notStaff.body.errors).toEqual({ assigneeId: ["Choose a staff member or admin."] });
    expect((await api("POST", `/api/v1/tickets/${id}/status`, { key, body: { status: "solved" } })).status).toBe(400);
    const noLink = await api("POST", `/api/v1/tickets/${id}/solve`, { key, body: { outcome: "article" } });
    expect(noLink.status).toBe(400);
    expect(noLink.body.errors).toHaveProperty("link");
    expect((await api("POST", `/api/v1/tickets/${id}/messages`, { key, body: { kind: "reply", body: "   " } })).body.errors).toHaveProperty("body");
    expect((await prisma.supportTicket.findUniqueOrThrow({ where: { id } })).assigneeId).toBe(staff.id);

    expect(await api("POST", `/api/v1/tickets/${id}/assign`, { key, body: { assigneeId: colleague.id } })).toMatchObject({ status: 200, body: { assigneeId: colleague.id } });
    expect(await api("POST", `/api/v1/tickets/${id}/priority`, { key, body: { priority: "urgent" } })).toMatchObject({ status: 200, body: { priority: "urgent" } });
    expect(await api("POST", `/api/v1/tickets/${id}/status`, { key, body: { status: "waiting" } })).toMatchObject({ status: 200, body: { status: "waiting" } });
    // Solving twice with one Idempotency-Key solves (and audits) once.
    const solve = { key, body: { outcome: "not_a_problem" }, headers: { "Idempotency-Key": "solve-42" } };
    expect(await api("POST", `/api/v1/tickets/${id}/solve`, solve)).toMatchObject({ status: 200, body: { outcome: "not_a_problem" } });
    expect(await api("POST", `/api/v1/tickets/${id}/solve`, solve)).toMatchObject({ status: 200, body: { outcome: "not_a_problem" } });
    expect(await api("POST", `/api/v1/tickets/${id}/status`, { key, body: { status: "closed" } })).toMatchObject({ status: 200, body: { status: "closed" } });
    const ticket = await prisma.supportTicket.findUniqueOrThrow({ where: { id } });
    expect(ticket).toMatchObject({ assigneeId: colleague.id, priority: "urgent", status: "closed", outcome: "not_a_problem" });
    const audited = await prisma.auditEntry.findMany({ where: { targetType: "ticket", targetId: String(id), actorId: staff.id }, select: { action: true } });
    expect(audited.map((a) => a.action).sort()).toEqual(["ticket.assigned", "ticket.priority_changed", "ticket.solved", "ticket.status_changed", "ticket.status_changed"]);
    // Closed: the customer's reply is a conflict, as on the page.
    expect((await api("POST", `/api/v1/tickets/${id}/messages`, { key: customerKey, body: { kind: "customer", body: "One more thing" } })).status).toBe(409);
  });
});

describe("publishing a reply", () => {
  test("staff publish a reply as a staff answer once (a retry answers the same); a note is 409, a member 403", async () => {
    const [staff, customer] = [await makeUser({ role: "staff" }), await makeUser()];
    const { threadId } = await makeQuestion(customer.id, { title: "De ce exportul CSV se oprește la 1000 de rânduri?" });
    const created = await createTicket(actorOf(customer), null, { source: "thread", threadId: String(threadId) });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const id = created.value.ticketId;
    const reply = await addTicketMessage(actorOf(staff, "staff"), id, "reply", { body: "Limita de 1000 de rânduri se schimbă din Setări → Export." });
    const note = await addTicketMessage(actorOf(staff, "staff"), id, "note", { body: "Internal only" });
    if (!reply.ok || !note.ok) throw new Error("setup");
    const key = await keyFor(staff, "staff");

    expect((await api("POST", `/api/v1/tickets/${id}/publish`, { key: await keyFor(customer, "member"), body: { messageId: String(reply.value.messageId) } })).status).toBe(403);
    expect((await api("POST", `/api/v1/tickets/${id}/publish`, { key, body: { messageId: String(note.value.messageId) } })).status).toBe(409);
    expect((await api("POST", `/api/v1/tickets/${id}/publish`, { key, body: { messageId: "x" } })).body.errors).toHaveProperty("messageId");
    const published = await api("POST", `/api/v1/tickets/${id}/publish`, { key, body: { messageId: String(reply.value.messageId) } });
    expect(published).toMatchObject({ status: 200, body: { threadId: String(threadId), postId: expect.any(String) } });
    expect(await api("POST", `/api/v1/tickets/${id}/publish`, { key, body: { messageId: String(reply.value.messageId) } })).toEqual(published);
    const answers = await prisma.post.findMany({ where: { threadId, kind: "answer" }, select: { id: true, authorId: true } });
    expect(answers).toEqual([{ id: BigInt(published.body.postId as string), authorId: staff.id }]);
  });
});

describe("the OpenAPI document", () => {
  test("documents the articles, dashboard and ticket operations with their schemas, staff reads needing a key", async () => {
    const doc = (await (await fetch(server.url + "/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, { security: unknown[] }>>; components: { schemas: Record<string, unknown> } };
    for (const name of ["ArticleList", "Article", "Dashboard", "DashboardFigure", "TicketList", "Ticket", "TicketMessage", "AssignTicket", "SolveTicket"]) expect(doc.components.schemas, name).toHaveProperty(name);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/articles", "/api/v1/articles/{id}", "/api/v1/dashboard", "/api/v1/tickets", "/api/v1/tickets/{id}", "/api/v1/tickets/{id}/messages"]));
    expect(doc.paths["/api/v1/dashboard"]!.get!.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths["/api/v1/articles"]!.get!.security).toEqual([{}, { apiKey: [] }]);
  });
});
