import { afterAll, beforeAll, expect, test } from "vitest";
import { handleEvent } from "~/modules/events/handlers.server.ts";
import { eventHandlers } from "~/modules/jobs/event-subscriptions.server.ts";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
let threadId: bigint;

beforeAll(async () => {
  server = await startAppServer();
  const asker = await makeUser();
  ({ threadId } = await makeQuestion(asker.id, { title: "Invoice <script>alert(1)</script> export fails", body: "The invoice export fails with a timeout & nothing downloads." }));
  const answerId = await makeAnswer((await makeUser()).id, threadId, "Export by month instead of the whole year.");
  await acceptAnswer(asker.id, threadId, answerId);
  for (const { id } of await prisma.domainEvent.findMany({ select: { id: true }, orderBy: { id: "asc" } })) await handleEvent(id, eventHandlers);
  handledAt = Date.now();
}, 60_000);
let handledAt = 0;

test("a question is findable on the running server within 5 seconds of its events being handled", async () => {
  // The server's engine loads in the background and polls search_documents every second.
  const client = new HttpClient(server.url);
  let html = "";
  while (Date.now() - handledAt < 5000) {
    html = await (await client.get("/search?q=invoice")).text();
    if (html.includes("1 result for")) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(html).toContain("1 result for");
  expect(Date.now() - handledAt).toBeLessThan(5000);
});
afterAll(() => server?.close());

test("the search page shows the count, a highlighted, escaped snippet and the resolved mark", async () => {
  const html = await (await new HttpClient(server.url).get("/search?q=invoice+export")).text();
  expect(html).toContain("1 result for");
  expect(html).toContain("<mark>invoice</mark>");
  expect(html).toContain(`href="/questions/${threadId}"`);
  expect(html).toContain("Resolved");
  expect(html).not.toContain("<script>alert(1)</script>");
});

test("hostile queries answer 200 with a sensible page: lunr syntax, 10 KB, punctuation only, emoji", async () => {
  const client = new HttpClient(server.url);
  const cases: [string, string][] = [
    ["invoice:export", "result"],
    ["title:invoice~2 +export^10 -nothing", "result"],
    ["invoice*", "result"],
    ["~:^*+-", "0 results"],
    ["🙂🚀🔥", "0 results"],
    [`${"invoice ".repeat(1300)}`.slice(0, 10_240), "result"],
    // Invisible characters only: an empty query. (A NUL or other control character is refused with a
    // 400 and a message since issue 16: tests/http/hostile-text.test.ts.)
    ["\u200b\ufeff", "0 results"],
  ];
  for (const [q, expected] of cases) {
    const response = await client.get(`/search?q=${encodeURIComponent(q)}`);
    expect(response.status, q.slice(0, 40)).toBe(200);
    const html = await response.text();
    expect(html.includes(expected) || html.includes("Type a few words"), q.slice(0, 40)).toBe(true);
  }
  for (const path of ["/search?type=nonsense&category=abc&page=-3&q=invoice", "/search/suggest?q=%F0%9F%99%82", "/search/suggest?q=" + "x".repeat(10_000)]) {
    expect((await client.get(path)).status, path).toBe(200);
  }
});

test("the search is logged by a POST beacon with CSRF; the page itself writes nothing", async () => {
  const client = new HttpClient(server.url);
  const before = await prisma.searchQuery.count();
  await client.get("/search?q=invoice");
  expect(await prisma.searchQuery.count()).toBe(before);
  const forged = await client.post("/search/log", { q: "invoice", from: "page" }, { csrf: "forged" });
  expect(forged.status).toBe(403);
  const logged = await client.post("/search/log", { q: "invoice", from: "header" }, { csrf: await client.csrfToken("/login") });
  expect(logged.status).toBe(200);
  const row = await prisma.searchQuery.findFirstOrThrow({ orderBy: { id: "desc" } });
  expect(row).toMatchObject({ query: "invoice", source: "header", resultCount: 1 });
  expect(row.visitorKey).toMatch(/^a:/);
});

test("suggestions answer JSON with resolved threads", async () => {
  const body = (await (await new HttpClient(server.url).get("/search/suggest?q=invoice%20exp")).json()) as { status: string; items: { docKey: string; resolved: boolean }[] };
  expect(body.status).toBe("ok");
  expect(body.items).toEqual([expect.objectContaining({ docKey: `thread:${threadId}`, resolved: true })]);
});
