import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { publishArticle } from "~/modules/kb/change-article-status.server.ts";
import { promoteThreads } from "~/modules/kb/promote-threads.server.ts";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { deletePost, setPostHidden } from "~/modules/questions/moderate-post.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { drainEvents, GOOD_PASSWORD, makeAnswer, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * Issue 19, "Permissions and bad input": hidden and deleted content stays invisible to members and
 * visitors everywhere: the thread, its revisions, search (results and the similar-questions box),
 * profiles, the leaderboard, lists (questions, category, tag), an article's sources, notifications
 * and CSV exports. Each surface is first shown to carry the content while it is live, so a surface
 * that stopped rendering altogether cannot pass the test by accident.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

const ANSWER_WORD = "zebracornfix";
const HIDDEN_TITLE_WORD = "platypusroadmap";
const DELETED_TITLE_WORD = "quokkaledger";

async function signedIn(user: { email: string }) {
  const client = new HttpClient(server.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  return client;
}

/** Waits until the running server's search engine (it polls every second) lists the thread for `word`, or not. */
async function searchUntil(client: HttpClient, word: string, threadId: bigint, found: boolean): Promise<boolean> {
  let listed = !found;
  for (const started = Date.now(); Date.now() - started < 8000; ) {
    const html = await (await client.get(`/search?q=${word}`)).text();
    listed = html.includes(`href="/questions/${threadId}"`);
    if (listed === found) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return listed;
}

describe("hidden and deleted content is invisible to members and visitors everywhere", () => {
  test("an answer hidden, a thread hidden and a thread deleted leave no trace on any surface", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const mentioned = await makeUser();
    const voter = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const staff = await makeUser({ role: "staff" });
    const category = await makeCategory("Billing");
    const tag = `tag${Date.now().toString(36)}`;

    // A live thread whose answer (mentioning a member, commented, voted) will be hidden.
    const live = await makeQuestion(asker.id, { title: "Where is the invoice export button now?", categoryId: category.id, tags: [tag] });
    const answer = await makeAnswer(helper.id, live.threadId, `Use the ${ANSWER_WORD} trick, @${mentioned.handle} knows it.`);
    await castVote(voter.id, answer, { value: 1 });
    await acceptAnswer(asker.id, live.threadId, answer); // search indexes a thread's accepted answer
    expect((await addComment(asker.id, answer, { body: `Thanks, the ${ANSWER_WORD} trick worked.` })).ok).toBe(true);
    // A thread that will be hidden whole, promoted into a published article first (with a live source).
    const hidden = await makeQuestion(asker.id, { title: `The ${HIDDEN_TITLE_WORD} for invoices`, categoryId: category.id, tags: [tag] });
    const hiddenAnswer = await makeAnswer(helper.id, hidden.threadId, "An answer on a thread that goes away.");
    await acceptAnswer(asker.id, hidden.threadId, hiddenAnswer);
    const liveSource = await makeQuestion(asker.id, { title: "Exporting invoices from the reports page", categoryId: category.id });
    const promoted = await promoteThreads(staff.id, { threadIds: [hidden.threadId.toString(), liveSource.threadId.toString()], confirmUnresolved: true });
    if (!promoted.ok) throw new Error(JSON.stringify(promoted));
    expect((await publishArticle(staff.id, promoted.value.articleId)).ok).toBe(true);
    // A thread its asker will delete.
    const deleted = await makeQuestion(asker.id, { title: `The ${DELETED_TITLE_WORD} question`, categoryId: category.id, tags: [tag] });
    await drainEvents();

    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: live.threadId }, select: { slug: true } });
    const threadPath = `/questions/${live.threadId}/${slug}`;
    const articlePath = (await new HttpClient(server.url).get(`/kb/${promoted.value.articleId}`)).headers.get("location")!;
    const viewers = { visitor: new HttpClient(server.url), member: await signedIn(voter), asker: await signedIn(asker), mentioned: await signedIn(mentioned), helper: await signedIn(helper) };
    const staffClient = await signedIn(staff);
    const surfaces = (who: keyof typeof viewers): [string, string][] => [
      ["the thread", threadPath],
      ["the questions list", "/questions"],
      ["the category", `/categories/${category.slug}`],
      ["the tag", `/tags/${tag}`],
      ["the asker's profile", `/u/${asker.handle}`],
      ["the helper's profile", `/u/${helper.handle}`],
      ["the leaderboard", "/leaderboard"],
      ["similar questions", `/search/suggest?q=${DELETED_TITLE_WORD}+${ANSWER_WORD}`],
      ...(who === "visitor" ? [] : ([["notifications", "/notifications"]] as [string, string][])),
    ];

    // While everything is live, the surfaces show it (so the checks below can fail).
    expect(await searchUntil(viewers.visitor, HIDDEN_TITLE_WORD, hidden.threadId, true)).toBe(true);
    expect(await searchUntil(viewers.visitor, DELETED_TITLE_WORD, deleted.threadId, true)).toBe(true);
    expect(await searchUntil(viewers.visitor, ANSWER_WORD, live.threadId, true)).toBe(true);
    expect(await (await viewers.visitor.get(threadPath)).text()).toContain(ANSWER_WORD);
    expect(await (await viewers.visitor.get(articlePath)).text()).toContain(`/questions/${hidden.threadId}/`);
    expect(await (await viewers.visitor.get(`/search/suggest?q=${HIDDEN_TITLE_WORD}+invoices`)).text()).toContain(`"thread:${hidden.threadId}"`);
    expect(await (await viewers.visitor.get(`/tags/${tag}`)).text()).toContain(DELETED_TITLE_WORD);
    expect(await (await viewers.asker.get("/notifications")).text()).toContain(helper.displayName);
    expect(await (await viewers.mentioned.get("/notifications")).text()).toContain(helper.displayName);
    expect(await (await viewers.helper.get("/notifications")).text()).toContain(asker.displayName);
    expect(await (await staffClient.get("/dashboard/export/unanswered?range=7")).text()).toContain(DELETED_TITLE_WORD);

    // Then a moderator hides the answer and the second thread; the asker deletes the third.
    expect((await setPostHidden(moderator.id, answer, true, { reason: "spam" })).ok).toBe(true);
    expect((await setPostHidden(moderator.id, hidden.postId, true, { reason: "internal" })).ok).toBe(true);
    expect((await deletePost(asker.id, deleted.postId)).ok).toBe(true);
    await drainEvents();

    for (const [who, client] of Object.entries(viewers) as [keyof typeof viewers, HttpClient][]) {
      for (const [surface, path] of surfaces(who)) {
        const response = await client.get(path);
        const text = await response.text();
        expect.soft(response.status, `${who}: ${surface}`).toBeLessThan(500);
        for (const secret of [ANSWER_WORD, HIDDEN_TITLE_WORD, DELETED_TITLE_WORD]) expect.soft(text, `${who}: ${surface} (${path})`).not.toContain(secret);
      }
      // The article was written from the hidden thread (its text is the article's own now), but its
      // list of community sources no longer names or links the hidden thread; the similar-questions
      // box may offer the article, never the thread.
      const article = await (await client.get(articlePath)).text();
      const sources = article.slice(article.indexOf('class="card kb-sources"'), article.indexOf("</section>", article.indexOf('class="card kb-sources"')));
      expect.soft(sources, `${who}: the article's sources`).toContain("Exporting invoices from the reports page");
      expect.soft(sources, `${who}: the article's sources`).not.toContain(HIDDEN_TITLE_WORD);
      expect.soft(sources, `${who}: the article's sources`).not.toContain(`/questions/${hidden.threadId}/`);
      const similar = await (await client.get(`/search/suggest?q=${HIDDEN_TITLE_WORD}+invoices`)).text();
      expect.soft(similar, `${who}: similar questions`).not.toMatch(new RegExp(`/questions/${hidden.threadId}\\b`));
      expect.soft(similar, `${who}: similar questions`).not.toContain(`"thread:${hidden.threadId}"`);
      for (const path of [`/posts/${answer}/revisions`, `/posts/${hidden.postId}/revisions`, `/posts/${deleted.postId}/revisions`, `/questions/${hidden.threadId}`, `/questions/${deleted.threadId}`]) {
        expect.soft((await client.get(path)).status, `${who}: ${path}`).toBe(404);
      }
    }
    // Notices about the hidden answer (the asker's "new answer", the mention, the helper's vote and comment) are gone.
    expect.soft(await (await viewers.mentioned.get("/notifications")).text(), "the mention of the hidden answer").not.toContain(helper.displayName);
    expect.soft(await (await viewers.asker.get("/notifications")).text(), "the asker's new-answer notices").not.toContain(helper.displayName);
    expect.soft(await (await viewers.helper.get("/notifications")).text(), "the helper's notices").not.toContain(asker.displayName);
    // Search: the hidden answer's words no longer find its (live) thread, and the hidden and deleted
    // threads are not listed (the hidden thread's title may find the article written from it).
    for (const [word, threadId] of [[ANSWER_WORD, live.threadId], [HIDDEN_TITLE_WORD, hidden.threadId], [DELETED_TITLE_WORD, deleted.threadId]] as const) {
      expect.soft(await searchUntil(viewers.visitor, word, threadId, false), `search ${word}`).toBe(false);
      expect.soft(await searchUntil(viewers.member, word, threadId, false), `search ${word} (member)`).toBe(false);
    }
    // CSV exports (staff): a removed thread is not listed as a question to answer or a topic.
    for (const table of ["unanswered", "topics", "articles"]) {
      const csv = await staffClient.get(`/dashboard/export/${table}?range=7`);
      expect.soft(csv.status, `csv ${table}`).toBe(200);
      const text = await csv.text();
      for (const secret of [ANSWER_WORD, HIDDEN_TITLE_WORD, DELETED_TITLE_WORD]) expect.soft(text, `csv ${table}`).not.toContain(secret);
    }
    // A moderator still sees the hidden answer in its thread.
    expect(await (await (await signedIn(moderator)).get(threadPath)).text()).toContain(ANSWER_WORD);
  }, 120_000);
});
