import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * Time on page reported by the browser (issue 20, ADR 072), over HTTP against the built server: the
 * page's view POST returns a random view id, and `navigator.sendBeacon` posts the visible seconds
 * with it to /views/time as a multipart form (what a beacon sends), CSRF token in the body. Only the
 * visitor whose cookies wrote the row can set its time, once; bad values are 400; GET is refused.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

/** A page view as the browser makes it: the page, then its view POST; returns the view id and the page's CSRF token. */
async function viewPage(client: HttpClient, pagePath: string, viewPath: string) {
  const csrf = await client.csrfToken(pagePath);
  const response = await client.post(viewPath, {}, { csrf });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { counted: boolean; viewId: string | null };
  return { csrf, ...body };
}

/** What `navigator.sendBeacon(url, formData)` sends: a multipart POST with the page's cookies and Origin. */
async function beacon(client: HttpClient, fields: Record<string, string>, csrf: string, headers: Record<string, string> = {}) {
  const body = new FormData();
  body.set("csrf", csrf);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return fetch(`${server.url}/views/time`, { method: "POST", body, redirect: "manual", headers: { Cookie: client.cookieHeader(), Origin: server.url, ...headers } });
}

async function threadPage(title = "Cum export facturile? 如何导出发票？") {
  const asker = await makeUser();
  const { threadId } = await makeQuestion(asker.id, { title });
  const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
  return { threadId, page: `/questions/${threadId}/${encodeURIComponent(thread.slug)}`, view: `/questions/${threadId}/view` };
}

const timeOf = async (threadId: bigint) => (await prisma.threadView.findMany({ where: { threadId }, select: { visitorKey: true, visibleSeconds: true } })).map((r) => r.visibleSeconds);

describe("time on page over HTTP", () => {
  test("a visitor's beacon sets the time of their own thread view; a second beacon for the same view changes nothing (409)", async () => {
    const { threadId, page, view } = await threadPage();
    const visitor = new HttpClient(server.url);
    const shown = await viewPage(visitor, page, view);
    expect(shown).toMatchObject({ counted: true, viewId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const fields = { kind: "thread", id: threadId.toString(), viewId: shown.viewId! };
    expect((await beacon(visitor, { ...fields, seconds: "42" }, shown.csrf)).status).toBe(204);
    expect(await timeOf(threadId)).toEqual([42]);
    const again = await beacon(visitor, { ...fields, seconds: "3600" }, shown.csrf);
    expect(again.status).toBe(409);
    expect(await timeOf(threadId)).toEqual([42]);
    // A repeat view the same day has no unreported row to quote: no view id, so no second report.
    expect(await viewPage(visitor, page, view)).toMatchObject({ counted: false, viewId: null });
  });

  test("an article view takes its time the same way, for a signed-in member", async () => {
    const staff = await makeUser({ role: "staff" });
    const member = await makeUser();
    const category = await makeCategory("Facturare");
    const article = await prisma.article.create({
      data: { categoryId: category.id, slug: `export-${Date.now()}`, title: "导出发票 / Export invoices", bodyJson: {}, bodyHtml: "<p>Open Billing.</p>", bodyText: "Open Billing.", status: "published", ownerId: staff.id, authorId: staff.id },
    });
    const client = new HttpClient(server.url);
    await client.signIn(member.email, GOOD_PASSWORD);
    const shown = await viewPage(client, `/kb/${category.slug}/${article.slug}`, `/kb/articles/${article.id}/view`);
    expect((await beacon(client, { kind: "article", id: article.id.toString(), viewId: shown.viewId!, seconds: "7200" }, shown.csrf)).status).toBe(204);
    expect(await prisma.articleView.findMany({ where: { articleId: article.id }, select: { visitorKey: true, visibleSeconds: true } })).toEqual([{ visitorKey: `u:${member.id}`, visibleSeconds: 7200 }]);
  });

  test("another visitor cannot set the time of a view that is not theirs, with its id or any other (404), and the row stays unreported", async () => {
    const { threadId, page, view } = await threadPage();
    const owner = new HttpClient(server.url);
    const shown = await viewPage(owner, page, view);
    const other = new HttpClient(server.url);
    const otherCsrf = (await viewPage(other, page, view)).csrf;
    const member = await makeUser();
    const signedIn = new HttpClient(server.url);
    await signedIn.signIn(member.email, GOOD_PASSWORD);
    const memberCsrf = await signedIn.csrfToken(page);
    for (const [client, csrf] of [
      [other, otherCsrf],
      [signedIn, memberCsrf],
    ] as const) {
      expect((await beacon(client, { kind: "thread", id: threadId.toString(), viewId: shown.viewId!, seconds: "10" }, csrf)).status).toBe(404);
    }
    // The owner's own id under another page or kind finds nothing either.
    expect((await beacon(owner, { kind: "article", id: threadId.toString(), viewId: shown.viewId!, seconds: "10" }, shown.csrf)).status).toBe(404);
    expect((await beacon(owner, { kind: "thread", id: "999999999", viewId: shown.viewId!, seconds: "10" }, shown.csrf)).status).toBe(404);
    expect((await beacon(owner, { kind: "thread", id: threadId.toString(), viewId: crypto.randomUUID(), seconds: "10" }, shown.csrf)).status).toBe(404);
    // Without cookies a beacon has no visitor at all.
    expect((await beacon(new HttpClient(server.url), { kind: "thread", id: threadId.toString(), viewId: shown.viewId!, seconds: "10" }, shown.csrf)).status).toBe(403);
    expect(await timeOf(threadId)).toEqual([null, null]);
    expect((await beacon(owner, { kind: "thread", id: threadId.toString(), viewId: shown.viewId!, seconds: "10" }, shown.csrf)).status).toBe(204);
  });

  test("bad values answer 400 with field errors and write nothing; GET, a missing token and a foreign origin are refused", async () => {
    const { threadId, page, view } = await threadPage();
    const visitor = new HttpClient(server.url);
    const shown = await viewPage(visitor, page, view);
    const good = { kind: "thread", id: threadId.toString(), viewId: shown.viewId!, seconds: "5" };
    const bad: [Record<string, string>, string][] = [
      [{ ...good, seconds: "-1" }, "seconds"],
      [{ ...good, seconds: "7201" }, "seconds"],
      [{ ...good, seconds: "99999999999" }, "seconds"],
      [{ ...good, seconds: "1.5" }, "seconds"],
      [{ ...good, seconds: "1e3" }, "seconds"],
      [{ ...good, seconds: "" }, "seconds"],
      [{ ...good, seconds: "十" }, "seconds"],
      [{ ...good, viewId: "not-a-view-id" }, "viewId"],
      [{ ...good, viewId: "' OR 1=1 --" }, "viewId"],
      [{ ...good, kind: "post" }, "kind"],
      [{ ...good, id: "0" }, "id"],
      [{ kind: "thread", id: threadId.toString(), viewId: shown.viewId! }, "seconds"],
    ];
    for (const [fields, field] of bad) {
      const response = await beacon(visitor, fields, shown.csrf);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(Object.keys(((await response.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors)).toContain(field);
    }
    expect((await visitor.get("/views/time")).status).toBe(405);
    expect((await beacon(visitor, good, "forged-token")).status).toBe(403);
    expect((await beacon(visitor, good, shown.csrf, { Origin: "https://evil.example" })).status).toBe(403);
    expect((await beacon(visitor, good, shown.csrf, { "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect(await timeOf(threadId)).toEqual([null]);
  });

  test("the reported time shows on the member's own journey (page and CSV) and on the staff ticket; a view without a report keeps the estimate", async () => {
    const { threadId, page, view } = await threadPage("Parola nu se resetează 密码无法重置");
    const other = await threadPage("Second thread, never reported");
    const member = await makeUser();
    const staff = await makeUser({ role: "staff" });
    const client = new HttpClient(server.url);
    await client.signIn(member.email, GOOD_PASSWORD);
    const shown = await viewPage(client, page, view);
    expect((await beacon(client, { kind: "thread", id: threadId.toString(), viewId: shown.viewId!, seconds: "95" }, shown.csrf)).status).toBe(204);
    await viewPage(client, other.page, other.view);

    const journey = await (await client.get("/account/journey")).text();
    expect(journey).toMatch(/data-time="reported" data-seconds="95">1 min 35 s on page</);
    // The download link is a document request: it must get the CSV, not the page (it rendered a 500 before).
    expect(journey).toContain('href="/account/journey.csv"');
    const old = await client.get("/account/journey?download=csv");
    expect([old.status, old.headers.get("location")]).toEqual([302, "/account/journey.csv"]);
    const download = await client.get("/account/journey.csv");
    expect([download.status, download.headers.get("content-type")]).toEqual([200, "text/csv; charset=utf-8"]);
    const csv = await download.text();
    expect(csv.split(/\r?\n/)[0]).toContain("seconds,seconds_source");
    expect(csv).toMatch(/Parola nu se resetează 密码无法重置.*,95,reported_by_browser/);

    const ticket = await prisma.supportTicket.create({ data: { customerId: member.id, source: "thread", threadId: other.threadId } });
    const staffClient = new HttpClient(server.url);
    await staffClient.signIn(staff.email, GOOD_PASSWORD);
    const ticketPage = await (await staffClient.get(`/support/tickets/${ticket.id}`)).text();
    expect(ticketPage).toMatch(/data-time="reported" data-seconds="95">1 min 35 s on page</);
  });
});
