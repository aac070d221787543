import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { drainEvents, GOOD_PASSWORD, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer({ pageCacheSeconds: 0 });
});
afterAll(() => server?.close());

/** The site's own page: a document with a language and a title, inside the layout, never Remix's bare error page. */
function expectSitePage(html: string, label: string) {
  expect(html, label).toMatch(/<html lang="[a-z-]+"/i);
  expect(html, label).toMatch(/<title>[^<]+<\/title>/);
  expect(html, label).toContain('class="site-header"');
  expect(html, label).not.toContain("Application Error");
}

describe("invalid list parameters answer a normal page", () => {
  test("unknown sorts, filters, pages and cursors show the default list or an empty state (200), for visitors and admins", async () => {
    const client = new HttpClient(server.url);
    for (const path of [
      "/questions?sort=bogus",
      "/questions?filter=nope&sort=votes",
      "/questions?page=99",
      "/questions?after=not-a-cursor",
      "/questions?sort=%00",
      "/search?q=invoice&page=99",
      "/search?q=invoice&type=bogus&category=x",
      "/leaderboard?period=bogus&by=nothing",
      "/tags?q=%E5%9B%BE%E4%B9%A6%E9%A6%86",
      "/categories?sort=bogus",
      "/badges?page=99",
    ]) {
      const response = await client.get(path);
      expect(response.status, path).toBe(200);
      expectSitePage(await response.text(), path);
    }
    const admin = await makeUser({ role: "admin" });
    await client.signIn(admin.email, GOOD_PASSWORD);
    const users = await client.get("/admin/users?role=bogus&q=user");
    expect(users.status).toBe(200);
    expect(await users.text()).toContain(admin.handle);
  });

  test("the question list with an unknown sort is the default list", async () => {
    const client = new HttpClient(server.url);
    const bogus = await (await client.get("/questions?sort=bogus&filter=bogus")).text();
    expect(bogus).toMatch(/aria-current="page"[^>]*>All</);
    expect(bogus).toMatch(/aria-current="page"[^>]*>Newest</);
  });
});

describe("errors use the site's own page", () => {
  test("not found, method not allowed, a bad data request and a malformed address each answer the site's page with a title and lang", async () => {
    const client = new HttpClient(server.url);
    for (const [path, status] of [
      ["/no/such/page", 404],
      ["/questions/999999999/nothing", 404],
      ["/u/nobody-here", 404],
      ["/categories/no-such-category", 404],
      ["/kb/no/such-article", 404],
      ["/%E0%A4%A", 404],
      ["/questions/%ZZ/x", 404],
      ["/u/%E0", 404],
      ["/tags/%C0%AF", 404],
      ["/questions/1/%", 404],
    ] as const) {
      const response = await client.get(path);
      expect(response.status, path).toBe(status);
      expectSitePage(await response.text(), path);
    }
    const token = await client.csrfToken();
    for (const path of ["/questions", "/categories", "/tags", "/"]) {
      const response = await fetch(server.url + path, { method: "POST", body: new URLSearchParams({ csrf: token }), headers: { Cookie: client.cookieHeader(), Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" }, redirect: "manual" });
      expect(response.status, `POST ${path}`).toBeGreaterThanOrEqual(400);
      expectSitePage(await response.text(), `POST ${path}`);
    }
  });
});

describe("dashboard CSV exports", () => {
  test("the unanswered queue links with absolute URLs, and recurring topics fill thread_ids", async () => {
    const staff = await makeUser({ role: "staff" });
    const asker = await makeUser();
    const category = await makeCategory(`Exports ${Date.now()}`);
    const q = await makeQuestion(asker.id, { title: "Cum export facturile în România?", categoryId: category.id });
    await drainEvents();
    await prisma.recurringTopicReport.create({
      data: {
        periodDays: 90,
        computedAt: new Date(),
        topics: [{ label: "Cum export facturile", terms: ["export"], threadCount: 2, views: 5, resolvedCount: 0, threads: [{ id: q.threadId.toString(), title: "x", slug: "x", views: 3, resolved: false }, { id: "12345", title: "y", slug: "y", views: 2, resolved: false }] }],
      },
    });
    const client = new HttpClient(server.url);
    await client.signIn(staff.email, GOOD_PASSWORD);
    const unanswered = await (await client.get("/dashboard/export/unanswered?range=30")).text();
    const [header, ...rows] = unanswered.trim().split(/\r?\n/);
    expect(header).toBe("thread_id,title,category,asked_at,url");
    const row = rows.find((r) => r.includes(`/questions/${q.threadId}/`))!;
    expect(row, unanswered).toBeDefined();
    const url = row.split(",").at(-1)!;
    expect(url).toMatch(/^https?:\/\/[^/]+\/questions\/\d+\//);
    expect(decodeURIComponent(new URL(url).pathname)).toBe(`/questions/${q.threadId}/${(await prisma.thread.findUniqueOrThrow({ where: { id: q.threadId } })).slug}`);

    const topics = await (await client.get("/dashboard/export/topics?range=30")).text();
    const [topicHeader, topicRow] = topics.trim().split(/\r?\n/);
    expect(topicHeader).toBe("topic,threads,views,thread_ids,report_computed_at");
    expect(topicRow).toContain(`${q.threadId} 12345`);
  });
});
