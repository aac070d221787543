import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { docJson, drainEvents, GOOD_PASSWORD, makeAnswer, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

async function threadPath(threadId: bigint) {
  const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
  return `/questions/${threadId}/${slug}`;
}

describe("reputation over HTTP", () => {
  test("a downvote posted directly by a member under 50 reputation is refused with 403 and changes nothing", async () => {
    const asker = await makeUser();
    const low = await makeUser({ reputation: 20 });
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(asker.id, threadId);
    const path = await threadPath(threadId);
    const client = new HttpClient(server.url);
    await client.signIn(low.email, GOOD_PASSWORD);
    const page = await (await client.get(path)).text();
    expect(page).toContain("Voting down needs 50 reputation.");
    const res = await client.post(path, { intent: "vote", postId: String(answer), value: "-1" }, { csrf: await client.csrfToken(path) });
    expect(res.status).toBe(403);
    expect(await prisma.vote.count({ where: { postId: answer } })).toBe(0);
  });

  test("below the privileges, a member's own unanswered question shows no downvote hint, and their own answer offers a comment box", async () => {
    const low = await makeUser({ reputation: 20 });
    const { threadId } = await makeQuestion(low.id);
    const path = await threadPath(threadId);
    const client = new HttpClient(server.url);
    await client.signIn(low.email, GOOD_PASSWORD);
    expect(await (await client.get(path)).text()).not.toContain("Voting down needs");

    const asker = await makeUser();
    const other = await makeQuestion(asker.id);
    const own = await makeAnswer(low.id, other.threadId);
    const theirs = await makeAnswer(asker.id, other.threadId);
    const page = await (await client.get(await threadPath(other.threadId))).text();
    // One comment box: under the member's own answer, not under the question or the other answer.
    expect(page.match(/Add a comment/g)?.length).toBe(1);
    const ownAt = page.indexOf(`id="post-${own}"`);
    const theirsAt = page.indexOf(`id="post-${theirs}"`);
    expect(ownAt).toBeGreaterThan(0);
    expect(theirsAt).toBeGreaterThan(0);
    const boxAt = page.indexOf("Add a comment");
    const after = [ownAt, theirsAt].filter((at) => at < boxAt).sort((a, b) => b - a)[0];
    expect(after).toBe(ownAt);
  });

  test("a new account answering twice within a minute gets 429, Retry-After and the time to wait", async () => {
    const asker = await makeUser();
    const fresh = await makeUser({ newAccount: true });
    const { threadId } = await makeQuestion(asker.id);
    const path = await threadPath(threadId);
    const client = new HttpClient(server.url);
    await client.signIn(fresh.email, GOOD_PASSWORD);
    const first = await client.post(path, { intent: "answer", body: docJson("A first answer with enough words in it.") }, { csrf: await client.csrfToken(path) });
    expect(first.status).toBe(200);
    const second = await client.post(path, { intent: "answer", body: docJson("A second answer straight after the first.") }, { csrf: await client.csrfToken(path) });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await second.text()).toContain("New accounts wait 60 seconds between posts. You can post again in");
  });

  test("the profile, leaderboard and badge pages show what the ledger holds, with the expert's name marked", async () => {
    const asker = await makeUser();
    const author = await makeUser({ displayName: "Rita Resolver", reputation: 10 });
    const voter = await makeUser();
    const { threadId, categoryId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(author.id, threadId);
    await castVote(voter.id, answer, { value: 1 });
    await drainEvents();
    await prisma.user.update({ where: { id: author.id }, data: { expertCategoryIds: [categoryId] } });
    const client = new HttpClient(server.url);
    const handle = (await prisma.user.findUniqueOrThrow({ where: { id: author.id } })).handle;
    const profile = await (await client.get(`/u/${handle}`)).text();
    expect(profile).toMatch(/data-testid="reputation">20</);
    expect(profile).toContain("Answer voted up");
    expect(profile).toContain("First answer");
    const board = await (await client.get("/leaderboard?period=week")).text();
    expect(board).toContain("Rita Resolver");
    expect(board).toContain("Expert in General help");
    const badge = await client.get("/badges/first_answer");
    expect(badge.status).toBe(200);
    expect(await badge.text()).toContain("Rita Resolver");
    expect((await client.get("/badges/no_such_badge")).status).toBe(404);
    const thread = await (await client.get(await threadPath(threadId))).text();
    expect(thread).toContain("Expert in General help");

    // An expert in three categories: one mark naming them all, in the page's language.
    const [billing, mobile] = [await makeCategory("Billing"), await makeCategory("Aplicații mobile")];
    await prisma.user.update({ where: { id: author.id }, data: { expertCategoryIds: [categoryId, billing.id, mobile.id] } });
    const marks = (html: string) => html.match(/class="expert-mark"[^>]*title="([^"]*)"/g) ?? [];
    // Signed in (members' pages are never cached), English, then Romanian.
    const member = new HttpClient(server.url);
    await member.signIn(voter.email, GOOD_PASSWORD);
    const english = await (await member.get(await threadPath(threadId))).text();
    expect(marks(english)[0]).toMatch(/title="Expert in (General help|Billing|Aplicații mobile), (General help|Billing|Aplicații mobile),? and (General help|Billing|Aplicații mobile)"/);
    // On the thread, in Romanian: Rita is the only expert, and each time her name shows, one mark follows it.
    const inRomanian = await (await member.get(await threadPath(threadId), { "Accept-Language": "ro" })).text();
    const threadMarks = marks(inRomanian);
    expect(threadMarks.length).toBe(inRomanian.split(">Rita Resolver</a>").length - 1);
    for (const mark of threadMarks) expect(mark).toMatch(/title="Expert în [^",]+, [^",]+ și [^",]+"/);
  });
});
