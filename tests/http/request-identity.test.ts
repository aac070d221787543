import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { articlePath } from "~/modules/kb/kb.schema.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { docJson, GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";
import { routeUrls } from "../support/route-paths.ts";

/**
 * Issue 16, item 1: whose session a request runs as is decided by its own cookie and nothing else.
 * The per-request cache of the signed-in user was keyed by the request id, which came from the
 * client's X-Request-Id header, so a visitor who repeated an admin's request id was served as the admin.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

let counter = 0;
/** A request id of the form the old server accepted from clients (8-100 of A-Z a-z 0-9 . _ -). */
const copiedId = () => `copied-request-id-${Date.now()}-${++counter}`;

/** The signed-in user the root loader reported in a page (null for a visitor), or undefined for a non-page. */
function rootUser(html: string): unknown {
  const match = /"loaderData":\{"root":\{"user":(null|\{[^}]*\})/.exec(html);
  return match ? JSON.parse(match[1]!) : undefined;
}

async function snapshot(response: Response) {
  const body = await response.text();
  return { status: response.status, location: response.headers.get("location"), remixRedirect: response.headers.get("x-remix-redirect"), body };
}

describe("a request runs as the session of its own cookie, never as another request's", () => {
  test("a visitor repeating an admin's request id (sent or echoed) is a visitor on /account, /admin/users and /dashboard, also after the admin signed out", async () => {
    const admin = await makeUser({ role: "admin", displayName: "Ada 管理员 Ionescu" });
    const adminClient = new HttpClient(server.url);
    await adminClient.signIn(admin.email, GOOD_PASSWORD);
    const pages = ["/account", "/admin/users", "/dashboard"];
    const ids: { page: string; sent: string; echoed: string }[] = [];
    for (const page of pages) {
      const sent = copiedId();
      const response = await adminClient.get(page, { "X-Request-Id": sent });
      expect(response.status, page).toBe(200);
      expect(rootUser(await response.text()), page).toMatchObject({ handle: admin.handle });
      ids.push({ page, sent, echoed: response.headers.get("x-request-id")! });
    }
    const check = async () => {
      for (const { page, sent, echoed } of ids) {
        for (const id of [sent, echoed]) {
          const response = await fetch(server.url + page, { headers: { "X-Request-Id": id }, redirect: "manual" });
          expect(response.status, `${page} with ${id}`).toBe(302);
          expect(response.headers.get("location"), page).toMatch(/^\/login\?redirectTo=/);
          expect(await response.text()).not.toContain(admin.handle);
        }
      }
    };
    await check();
    expect((await adminClient.post("/logout", {}, { csrf: await adminClient.csrfToken("/") })).status).toBe(302);
    await check();
  });

  test("on every route, pages and data requests alike, a copied request id without a cookie gets what any visitor gets", async () => {
    const admin = await makeUser({ role: "admin", displayName: "Radu Admin-Ștefănescu" });
    const { threadId, postId, categoryId } = await makeQuestion(admin.id, { tags: ["billing"] });
    const answerId = await makeAnswer(admin.id, threadId);
    const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, include: { category: true } });
    const article = await createArticle(admin.id, { title: "Exporting invoices as CSV", categoryId, tags: "billing", body: docJson("Open Billing, then Invoices, and choose Export as CSV from the menu at the top right.") });
    if (!article.ok) throw new Error(JSON.stringify(article));
    const articleRow = await prisma.article.findUniqueOrThrow({ where: { id: article.value.articleId } });
    const articleCategory = await prisma.category.findUniqueOrThrow({ where: { id: articleRow.categoryId } });
    const samples: Record<string, string> = {
      "routes/questions.$id.$slug": `/questions/${threadId}/${thread.slug}`,
      "routes/questions.$id._index": `/questions/${threadId}`,
      "routes/posts.$id.edit": `/posts/${answerId}/edit`,
      "routes/posts.$id.revisions": `/posts/${postId}/revisions`,
      "routes/categories.$slug": `/categories/${thread.category.slug}`,
      "routes/tags.$name": "/tags/billing",
      "routes/u.$handle": `/u/${admin.handle}`,
      "routes/dashboard.export.$table": "/dashboard/export/daily",
      "routes/kb.articles.$id.edit": `/kb/articles/${articleRow.id}/edit`,
      "routes/kb.articles.$id.revisions": `/kb/articles/${articleRow.id}/revisions`,
      "routes/kb.$category.$slug": articlePath({ categorySlug: articleCategory.slug, slug: articleRow.slug }),
      "routes/search.suggest": "/search/suggest?q=invoices",
      "routes/search": "/search?q=invoices",
      "routes/reset-password": "/reset-password?token=abcdefghijklmnopqrstuvwxyz",
    };
    const adminClient = new HttpClient(server.url);
    await adminClient.signIn(admin.email, GOOD_PASSWORD);

    const routes = routeUrls(server.build, (m) => Boolean(m.loader || m.default));
    expect(routes.length).toBeGreaterThan(30);
    const walked = routes.map((r) => ({ ...r, url: samples[r.routeId] ?? r.url }));
    let adminPages = 0;
    for (const { routeId, url } of walked) {
      const module = server.build.routes[routeId]!.module as { loader?: unknown };
      const variants = [url, ...(module.loader ? [`${url}${url.includes("?") ? "&" : "?"}_data=${encodeURIComponent(routeId)}`] : [])];
      for (const target of variants) {
        const id = copiedId();
        if (routeId === "routes/notifications.stream") {
          // The admin's event stream never ends: read its head only, then compare the copy with a visitor's.
          const abort = new AbortController();
          const stream = await fetch(server.url + target, { headers: { Cookie: adminClient.cookieHeader(), "X-Request-Id": id }, signal: abort.signal });
          expect(stream.headers.get("content-type") ?? "", target).toContain("text/event-stream");
          abort.abort();
          const copiedStream = await fetch(server.url + target, { headers: { "X-Request-Id": id }, redirect: "manual" });
          const visitorStream = await fetch(server.url + target, { redirect: "manual" });
          expect(copiedStream.status, target).toBe(visitorStream.status);
          expect(await copiedStream.text(), target).toBe(await visitorStream.text());
          continue;
        }
        const asAdmin = await snapshot(await adminClient.get(target, { "X-Request-Id": id }));
        if (rootUser(asAdmin.body) !== undefined && (rootUser(asAdmin.body) as { handle?: string } | null)?.handle === admin.handle) adminPages += 1;
        const copied = await snapshot(await fetch(server.url + target, { headers: { "X-Request-Id": id }, redirect: "manual" }));
        const visitor = await snapshot(await fetch(server.url + target, { redirect: "manual" }));
        expect({ status: copied.status, location: copied.location, remixRedirect: copied.remixRedirect }, target).toEqual({ status: visitor.status, location: visitor.location, remixRedirect: visitor.remixRedirect });
        expect(copied.body.includes(admin.email), `${target} shows the admin's e-mail`).toBe(false);
        const user = rootUser(copied.body);
        if (user !== undefined) expect(user, target).toBeNull();
      }
    }
    // The walk did see the admin signed in on the pages (so the comparison above meant something).
    expect(adminPages).toBeGreaterThan(20);
  }, 180_000); // walks every route twice (pages and data): longer than the default 30 s on a loaded machine

  test("the server makes every request id: a client's X-Request-Id is neither echoed nor used", async () => {
    const sent = copiedId();
    const response = await fetch(`${server.url}/questions`, { headers: { "X-Request-Id": sent } });
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(id).not.toBe(sent);
    const html = await response.text();
    expect(html).not.toContain(sent);
    expect(html).toContain(`"requestId":"${id}"`);
  });
});

describe("a trusted proxy's request id is logged beside the server's, and used for nothing else", () => {
  async function serverWithLog(trustProxy?: string) {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logged = await startAppServer({ trustProxy, logger: pino({ level: "info" }, stream) });
    return { logged, lines };
  }

  test("behind a trusted proxy, its X-Request-Id is logged as upstreamId; the response carries the server's own id", async () => {
    const { logged, lines } = await serverWithLog("loopback");
    try {
      const response = await fetch(`${logged.url}/questions`, { headers: { "X-Request-Id": "lb-0123456789abcdef" } });
      await response.text();
      const id = response.headers.get("x-request-id");
      expect(id).not.toBe("lb-0123456789abcdef");
      await new Promise((resolve) => setTimeout(resolve, 50));
      const line = lines.find((l) => (l.req as { url?: string } | undefined)?.url === "/questions");
      expect(line?.req).toMatchObject({ id, upstreamId: "lb-0123456789abcdef" });
    } finally {
      await logged.close();
    }
  });

  test("from anyone else, the X-Request-Id header is not even logged", async () => {
    const { logged, lines } = await serverWithLog(undefined);
    try {
      const response = await fetch(`${logged.url}/questions`, { headers: { "X-Request-Id": "client-0123456789abcdef" } });
      await response.text();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const line = lines.find((l) => (l.req as { url?: string } | undefined)?.url === "/questions");
      expect(line?.req).toMatchObject({ id: response.headers.get("x-request-id") });
      expect(JSON.stringify(line)).not.toContain("client-0123456789abcdef");
    } finally {
      await logged.close();
    }
  });
});
