import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * A thread page carries each post's body once (issue 25, ADR 085): in its markup, and not again in the
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
}, 120_000);
afterAll(() => server?.close());

type PostData = { id: string; html: string | null };
type ThreadData = { question: PostData; answers: PostData[] };

function hydrationData(page: string): ThreadData {
  const handoff = /window\.__remixContext = (.*?);<\/script>/s.exec(page);
  expect(handoff, "the page's hydration script").not.toBeNull();
  return JSON.parse(handoff![1]!).state.loaderData[ROUTE_ID] as ThreadData;
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
