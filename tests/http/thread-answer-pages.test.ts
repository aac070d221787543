import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { ANSWERS_PER_PAGE } from "~/modules/questions/questions-queries.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * A long thread renders one page of answers (issue 25, ADR 075): the accepted answer first, then by score;
 * the rest on `?page=N` (a link that works without JavaScript) and `?answer=<id>` opens the page holding
 * that answer, so links to an answer deep in a long thread land on it. The thread's title is Chinese, so
 * its address is not Latin.
 */

const TOTAL = ANSWERS_PER_PAGE * 2 + 5;
let server: Awaited<ReturnType<typeof startAppServer>>;
let threadPath: string;
const ids: bigint[] = [];
let accepted: bigint;
const reader = () => new HttpClient(server.url);

const answersOn = (html: string) => [...html.matchAll(/<article id="post-(\d+)"[^>]*data-testid="answer"/g)].map((m) => m[1]!);

beforeAll(async () => {
  server = await startAppServer({ pageCacheSeconds: 0 });
  const asker = await makeUser();
  const { threadId } = await makeQuestion(asker.id, { title: "导出发票时为什么总是超时？", body: "每次导出超过一千张发票，页面就会超时。" });
  const authors = await Promise.all(Array.from({ length: TOTAL }, () => makeUser()));
  for (const [n, author] of authors.entries()) ids.push(await makeAnswer(author.id, threadId, `Answer number ${n + 1}: try exporting one month at a time.`));
  // Scores: answer n scores n, so the order is the reverse of posting; one low-scored answer is accepted.
  for (const [n, id] of ids.entries()) await prisma.post.update({ where: { id }, data: { score: n } });
  accepted = ids[3]!;
  const done = await acceptAnswer(asker.id, threadId, accepted);
  expect(done.ok).toBe(true);
  const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
  threadPath = `/questions/${threadId}/${thread.slug}`;
}, 120_000);
afterAll(() => server?.close());

/** The thread's order: accepted first, then score (highest first). */
function expectedOrder(): string[] {
  const rest = ids.filter((id) => id !== accepted).reverse();
  return [accepted, ...rest].map(String);
}

describe("answers of a long thread, a page at a time", () => {
  test("page 1 shows the accepted answer and the top-scored ones, says how many there are, and links to the rest", async () => {
    const response = await reader().get(encodeURI(threadPath));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(answersOn(html)).toEqual(expectedOrder().slice(0, ANSWERS_PER_PAGE));
    expect(html).toContain(`${TOTAL} answers`);
    expect(html).toContain(`href="${threadPath}?page=2"`);
    expect(html).toContain(`Show ${TOTAL - ANSWERS_PER_PAGE} more answers`);
    // Structured data counts every answer, not only this page's.
    expect(html).toContain(`"answerCount":${TOTAL}`);
  });

  test("?page=3 shows the last answers with a way back, and is its own canonical address", async () => {
    const html = await (await reader().get(`${encodeURI(threadPath)}?page=3`)).text();
    expect(answersOn(html)).toEqual(expectedOrder().slice(ANSWERS_PER_PAGE * 2));
    expect(html).toContain(`rel="canonical"`);
    expect(html).toMatch(new RegExp(`<link rel="canonical" href="[^"]*${encodeURI(threadPath).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\?page=3"`));
    expect(html).toContain(`href="${threadPath}?page=2"`);
    expect(html).toContain(`Answers ${ANSWERS_PER_PAGE * 2 + 1}–${TOTAL} of ${TOTAL}`);
  });

  test("?answer=<id> opens the page that holds that answer", async () => {
    const deep = expectedOrder()[ANSWERS_PER_PAGE + 4]!;
    const html = await (await reader().get(`${encodeURI(threadPath)}?answer=${deep}`)).text();
    expect(answersOn(html)).toContain(deep);
    expect(answersOn(html)).toEqual(expectedOrder().slice(ANSWERS_PER_PAGE, ANSWERS_PER_PAGE * 2));
    // The question is on every page.
    expect(html).toContain('data-testid="question"');
  });

  test("a page past the last goes to the last; a malformed page or answer is a 404; the short address keeps the answer", async () => {
    const past = await reader().get(`${encodeURI(threadPath)}?page=9`);
    expect(past.status).toBe(302);
    expect(past.headers.get("location")).toBe(`${encodeURI(threadPath)}?page=3`);
    for (const bad of ["?page=0", "?page=abc", "?page=1e3", "?answer=-1", "?answer=x", "?answer=9999999999999999999", "?answer=%E2%80%8B1"]) expect((await reader().get(`${encodeURI(threadPath)}${bad}`)).status, bad).toBe(404);
    const short = await reader().get(`${threadPath.split("/").slice(0, 3).join("/")}?answer=${ids[0]}`);
    expect(short.status).toBe(301);
    expect(short.headers.get("location")).toBe(`${encodeURI(threadPath)}?answer=${ids[0]}`);
  });
});
