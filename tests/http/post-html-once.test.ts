import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { publishArticle } from "~/modules/kb/change-article-status.server.ts";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { articlePath as articlePathOf } from "~/modules/kb/kb.schema.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { docJson, GOOD_PASSWORD, makeAnswer, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * A thread page carries each post's body once, and an article page its body (issue 25, ADR 085): in its markup, and not again in the
 * hydration data, which sends `null` in its place; Remix's data requests (client navigation,
 * revalidation) still carry the body. Texts in Romanian and Chinese, with characters HTML escapes.
 */

const QUESTION = "Exportul facturilor nu pornește când aleg „toate lunile” & <anul trecut>.";
const ANSWERS = ["Șterge filtrul de dată și reîncearcă: exportul merge lună cu lună.", "每次导出超过一千张发票就会超时，请按月导出 <CSV>。"];
const ROUTE_ID = "routes/questions.$id.$slug";

let server: Awaited<ReturnType<typeof startAppServer>>;
let threadPath: string;
let member: { email: string };
const bodies = new Map<string, string>();
let articlePath: string;
let article: { id: string; html: string };

beforeAll(async () => {
  server = await startAppServer({ pageCacheSeconds: 0 });
  const asker = await makeUser();
  member = await makeUser();
  const { threadId, postId } = await makeQuestion(asker.id, { title: "Exportul facturilor nu pornește", body: QUESTION });
  const answerIds = [];
  for (const text of ANSWERS) answerIds.push(await makeAnswer((await makeUser()).id, threadId, text));
  for (const post of await prisma.post.findMany({ where: { id: { in: [postId, ...answerIds] } }, select: { id: true, bodyHtml: true } })) bodies.set(post.id.toString(), post.bodyHtml);
  const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
  threadPath = `/questions/${threadId}/${thread.slug}`;

  const staff = await makeUser({ role: "staff" });
  const made = await createArticle(staff.id, { title: "如何按月导出发票", categoryId: (await makeCategory()).id, tags: "billing", body: docJson("打开“账单”，选择月份，然后点击 <导出 CSV> & 下载。") });
  if (!made.ok) throw new Error(JSON.stringify(made));
  expect((await publishArticle(staff.id, made.value.articleId)).ok).toBe(true);
  const row = await prisma.article.findUniqueOrThrow({ where: { id: made.value.articleId }, select: { id: true, slug: true, bodyHtml: true, categoryId: true } });
  const category = await prisma.category.findUniqueOrThrow({ where: { id: row.categoryId }, select: { slug: true } });
  articlePath = articlePathOf({ categorySlug: category.slug, slug: row.slug });
  article = { id: row.id.toString(), html: row.bodyHtml };
}, 120_000);
afterAll(() => server?.close());

type PostData = { id: string; html: string | null };
type ThreadData = { question: PostData; answers: PostData[] };

function hydrationData<T = ThreadData>(page: string, routeId = ROUTE_ID): T {
  const handoff = /window\.__remixContext = (.*?);<\/script>/s.exec(page);
  expect(handoff, "the page's hydration script").not.toBeNull();
  return JSON.parse(handoff![1]!).state.loaderData[routeId] as T;
}

describe.each([
  ["an anonymous reader", async () => new HttpClient(server.url)],
  ["a signed-in member", async () => {
    const client = new HttpClient(server.url);
    await client.signIn(member.email, GOOD_PASSWORD);
    return client;
  }],
])("a thread page for %s", (_who, client) => {
  test("has each body in its markup once, and null for it in the hydration data", async () => {
    const response = await (await client()).get(threadPath);
    expect(response.status).toBe(200);
    const page = await response.text();
    const data = hydrationData(page);
    const posts = [data.question, ...data.answers];
    expect(posts.map((p) => p.id).sort()).toEqual([...bodies.keys()].sort());
    for (const post of posts) {
      expect(post.html).toBeNull();
      const markup = new RegExp(`<div class="rich-text"[^>]* data-html-key="post-${post.id}">(.*?)</div>`, "s").exec(page);
      expect(markup?.[1]).toBe(bodies.get(post.id));
      // Once in the whole response: the markup's copy is the only one.
      expect(page.split(bodies.get(post.id)!).length - 1).toBe(1);
    }
  });

  test("a data request (client navigation, revalidation) carries every body", async () => {
    const response = await (await client()).get(`${threadPath}?_data=${encodeURIComponent(ROUTE_ID)}`);
    expect(response.status).toBe(200);
    const data = (await response.json()) as ThreadData;
    for (const post of [data.question, ...data.answers]) expect(post.html).toBe(bodies.get(post.id));
  });
});

describe("an article page", () => {
  const ARTICLE_ROUTE = "routes/kb.$category.$slug";
  test("has its body in its markup once and null for it in the hydration data; its data request carries it", async () => {
    const reader = new HttpClient(server.url);
    const response = await reader.get(articlePath);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(hydrationData<{ article: { html: string | null } }>(page, ARTICLE_ROUTE).article.html).toBeNull();
    const markup = new RegExp(`<div class="card rich-text"[^>]* data-html-key="article-${article.id}">(.*?)</div>`, "s").exec(page);
    expect(markup?.[1]).toBe(article.html);
    expect(page.split(article.html).length - 1).toBe(1);

    const data = (await (await reader.get(`${articlePath}?_data=${encodeURIComponent(ARTICLE_ROUTE)}`)).json()) as { article: { html: string } };
    expect(data.article.html).toBe(article.html);
  });
});
