import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedDemo } from "~/modules/demo/seed-demo.server.ts";
import { DEMO_THREADS } from "~/modules/demo/demo-threads.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeCategory, makeUser } from "../support/factories.ts";

/**
 * Slugs are made from titles, and titles are Chinese, Romanian, Arabic…: every Location the app sends
 * must be percent-encoded, or Node refuses the header and the request answers 500 after its write.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
let categoryId: number;

beforeAll(async () => {
  expect(await seedDemo()).toBe(true);
  server = await startAppServer();
  categoryId = (await makeCategory()).id;
}, 120_000);
afterAll(() => server?.close());

/** What a header carries: printable ASCII only. */
const ASCII_HEADER = /^[\x21-\x7e]+$/;

async function member() {
  const user = await makeUser();
  const client = new HttpClient(server.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  return { user, client };
}

describe("questions with titles in other scripts", () => {
  const cases = [
    { language: "Chinese (Traditional)", title: "什麼是客戶自助服務？怎麼開始使用", slug: "什麼是客戶自助服務-怎麼開始使用" },
    { language: "Chinese (Simplified)", title: "如何取消已付款的订阅计划并申请退款？", slug: "如何取消已付款的订阅计划并申请退款" },
    { language: "Romanian", title: "Cum îmi schimb parola în aplicația mobilă?", slug: "cum-imi-schimb-parola-in-aplicatia-mobila" },
    { language: "Arabic (right to left)", title: "كيف أعيد تعيين كلمة المرور الخاصة بي؟", slug: "كيف-أعيد-تعيين-كلمة-المرور-الخاصة-بي" },
  ];

  for (const { language, title, slug } of cases) {
    test(`${language}: asking redirects (302) to the encoded thread URL, /questions/<id> 301s to it, and the page answers 200`, async () => {
      const { client } = await member();
      await client.get("/questions/new");
      const asked = await client.post(
        "/questions/new",
        { title, categoryId: String(categoryId), tags: "help", bodyText: `${title} ${title} — details of the problem.` },
        { csrf: await client.csrfToken("/questions/new") },
      );
      expect(asked.status).toBe(302);
      const location = asked.headers.get("location")!;
      expect(location).toMatch(ASCII_HEADER);
      const thread = await prisma.thread.findFirstOrThrow({ where: { title }, select: { id: true, slug: true } });
      expect(thread.slug).toBe(slug);
      const canonical = `/questions/${thread.id}/${encodeURIComponent(slug)}`;
      expect(location).toBe(canonical);
      // Exactly one thread: nothing for a retrying user to post twice.
      expect(await prisma.thread.count({ where: { title } })).toBe(1);

      const short = await client.get(`/questions/${thread.id}`);
      expect(short.status).toBe(301);
      expect(short.headers.get("location")).toBe(canonical);

      const page = await client.get(canonical);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(title.replace(/&/g, "&amp;"));

      // A wrong or stale slug is sent to the canonical URL, encoded too.
      const stale = await client.get(`/questions/${thread.id}/${encodeURIComponent("舊的")}`);
      expect(stale.status).toBe(301);
      expect(stale.headers.get("location")).toBe(canonical);
    });
  }
});

test("a demo thread with a Chinese title: /questions/<id> answers 301 to its encoded URL, which answers 200", async () => {
  const demo = DEMO_THREADS[4]!;
  expect(demo.title).toMatch(/\p{Script=Han}/u);
  // Found by its title: the demo's dated history is seeded around it, so its id is not fixed.
  const thread = await prisma.thread.findFirstOrThrow({ where: { title: demo.title }, select: { id: true, title: true, slug: true } });
  const client = new HttpClient(server.url);
  const short = await client.get(`/questions/${thread.id}`);
  expect(short.status).toBe(301);
  const location = short.headers.get("location")!;
  expect(location).toMatch(ASCII_HEADER);
  expect(location).toBe(`/questions/${thread.id}/${encodeURIComponent(thread.slug)}`);
  const page = await client.get(location);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(demo.title);
});

test("editing a title to Chinese redirects through /questions/<id>/_ to the new encoded URL", async () => {
  const { user, client } = await member();
  await client.get("/questions/new");
  const asked = await client.post("/questions/new", { title: "Export of invoices stops at page ten", categoryId: String(categoryId), tags: "billing", bodyText: "The export stops at page ten every time I try it." }, { csrf: await client.csrfToken("/questions/new") });
  expect(asked.status).toBe(302);
  const thread = await prisma.thread.findFirstOrThrow({ where: { authorId: user.id }, orderBy: { id: "desc" }, select: { id: true, questionPostId: true } });
  const editPath = `/posts/${thread.questionPostId}/edit`;
  const edited = await client.post(editPath, { title: "發票匯出到第十頁就停止了，怎麼辦？", bodyText: "The export stops at page ten every time I try it.", reason: "翻譯" }, { csrf: await client.csrfToken(editPath) });
  expect(edited.status).toBe(302);
  const next = await client.get(edited.headers.get("location")!);
  expect(next.status).toBe(301);
  expect(next.headers.get("location")).toBe(`/questions/${thread.id}/${encodeURIComponent("發票匯出到第十頁就停止了-怎麼辦")}`);
});

test("signing in with a redirectTo in Chinese redirects there, encoded; one with whitespace goes home", async () => {
  const user = await makeUser();
  const client = new HttpClient(server.url);
  const target = "/questions/5/行動應用程式";
  const response = await client.post("/login", { email: user.email, password: GOOD_PASSWORD, redirectTo: target });
  expect(response.status).toBe(302);
  expect(response.headers.get("location")).toBe("/questions/5/%E8%A1%8C%E5%8B%95%E6%87%89%E7%94%A8%E7%A8%8B%E5%BC%8F");
  // An already encoded target is not encoded twice.
  const again = new HttpClient(server.url);
  const encoded = await again.post("/login", { email: user.email, password: GOOD_PASSWORD, redirectTo: "/search?q=%E7%99%BB%E5%85%A5" });
  expect(encoded.headers.get("location")).toBe("/search?q=%E7%99%BB%E5%85%A5");
  // Whitespace in a target is refused outright (issue 16, item 2): the member lands on the home page.
  const spaced = new HttpClient(server.url);
  const refused = await spaced.post("/login", { email: user.email, password: GOOD_PASSWORD, redirectTo: "/questions/5/a \"x\"" });
  expect(refused.status).toBe(302);
  expect(refused.headers.get("location")).toBe("/");
});

test("saving a knowledge-base article with a Chinese title redirects to its encoded address", async () => {
  const staff = await makeUser({ role: "staff" });
  const client = new HttpClient(server.url);
  await client.signIn(staff.email, GOOD_PASSWORD);
  const title = "什麼是客戶自助服務？如何開始使用？";
  const body = "客戶自助服務讓客戶自己在知識庫找到答案，不必等待客服人員回覆。";
  const created = await client.post("/kb/new", { title, categoryId: String(categoryId), tags: "自助服務", bodyText: body }, { csrf: await client.csrfToken("/kb/new") });
  expect(created.status).toBe(302);
  const article = await prisma.article.findFirstOrThrow({ where: { title }, select: { id: true, slug: true } });
  const category = await prisma.category.findUniqueOrThrow({ where: { id: categoryId }, select: { slug: true } });
  expect(article.slug).toBe("什麼是客戶自助服務-如何開始使用");
  const editPath = `/kb/articles/${article.id}/edit`;
  const saved = await client.post(editPath, { title, categoryId: String(categoryId), tags: "自助服務", bodyText: `${body} 更新。`, reason: "" }, { csrf: await client.csrfToken(editPath) });
  expect(saved.status).toBe(302);
  const location = saved.headers.get("location")!;
  expect(location).toBe(`/kb/${category.slug}/${encodeURIComponent(article.slug)}`);
  expect((await client.get(location)).status).toBe(200);

  // Search results and suggestions link articles as /kb/<id>: a redirect to the same address for
  // whoever may read it (the draft is the staff member's), 404 for anyone else.
  const byId = await client.get(`/kb/${article.id}`);
  expect(byId.status).toBe(302);
  expect(byId.headers.get("location")).toBe(location);
  expect((await new HttpClient(server.url).get(`/kb/${article.id}`)).status).toBe(404);
  expect((await client.get("/kb/999999999")).status).toBe(404);
  expect((await client.get("/kb/not-an-id")).status).toBe(404);
});
