import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer({ pageCacheSeconds: 30 });
});
afterAll(() => server?.close());

const tokenIn = (html: string) => /"csrfToken":"([^"]+)"/.exec(html)?.[1];
const nonceIn = (html: string) => /<script nonce="([^"]+)"/.exec(html)?.[1];

describe("the anonymous page cache", () => {
  test("a second signed-out visitor gets the kept page with their own CSRF token, nonce and visitor cookie; signed-in members never do", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id, { title: "Why does the invoice export stop at 500 rows?" });
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
    const path = `/questions/${threadId}/${slug}`;

    const first = await new HttpClient(server.url).get(path);
    expect(first.headers.get("x-page-cache")).toBeNull();
    const firstHtml = await first.text();

    const secondVisitor = new HttpClient(server.url);
    const second = await secondVisitor.get(path);
    expect(second.headers.get("x-page-cache")).toBe("hit");
    const secondHtml = await second.text();
    expect(secondHtml).toContain("Why does the invoice export stop at 500 rows?");
    // Per-visitor parts are new: the token matches this visitor's cookie, the nonce matches the CSP.
    expect(tokenIn(secondHtml)).toBeTruthy();
    expect(tokenIn(secondHtml)).not.toBe(tokenIn(firstHtml));
    expect(nonceIn(secondHtml)).not.toBe(nonceIn(firstHtml));
    expect(second.headers.get("content-security-policy")).toContain(`'nonce-${nonceIn(secondHtml)}'`);
    expect(second.headers.get("set-cookie")).toMatch(/tw_csrf=.*tw_vid=|tw_vid=.*tw_csrf=/s);
    // ...and that token works: the view beacon (a CSRF-checked POST) counts the view.
    const beacon = await secondVisitor.post(`/questions/${threadId}/view`, {}, { csrf: tokenIn(secondHtml)! });
    expect(beacon.status).toBeLessThan(300);
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).viewCount).toBe(1);

    const member = new HttpClient(server.url);
    await member.signIn(asker.email, GOOD_PASSWORD);
    const signedIn = await member.get(path);
    expect(signedIn.headers.get("x-page-cache")).toBeNull();
  });

  test("a view beacon only counts: the kept page stays kept (clearing on it emptied the cache on every view)", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id, { title: "Can I keep a page for readers while views are counted?" });
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
    const path = `/questions/${threadId}/${slug}`;
    await new HttpClient(server.url).get(path);
    const reader = new HttpClient(server.url);
    const html = await (await reader.get(path)).text();
    const beacon = await reader.post(`/questions/${threadId}/view`, {}, { csrf: tokenIn(html)! });
    expect(beacon.status).toBeLessThan(300);
    expect((await new HttpClient(server.url).get(path)).headers.get("x-page-cache")).toBe("hit");
  });

  test("a change made through this server is visible to the next signed-out visitor at once", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
    const path = `/questions/${threadId}/${slug}`;
    await new HttpClient(server.url).get(path);
    expect((await new HttpClient(server.url).get(path)).headers.get("x-page-cache")).toBe("hit");

    const answer = await makeAnswer(helper.id, threadId, "Use the Export all button at the bottom of the list.");
    const client = new HttpClient(server.url);
    await client.signIn(asker.email, GOOD_PASSWORD);
    const accepted = await client.post(path, { intent: "accept", postId: String(answer) }, { csrf: await client.csrfToken(path) });
    expect(accepted.status).toBe(200);

    const after = await new HttpClient(server.url).get(path);
    expect(after.headers.get("x-page-cache")).toBeNull();
    expect(await after.text()).toContain("Accepted answer");
  });
});
