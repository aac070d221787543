import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { promoteThreads } from "~/modules/kb/promote-threads.server.ts";
import { deletePost, setPostHidden } from "~/modules/questions/moderate-post.server.ts";
import { editPost } from "~/modules/questions/edit-post.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { docJson, drainEvents, GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * Hidden and deleted content (issue 16, item 4) answers 404 to everyone who cannot see it, on every
 * route that reads it, exactly as for content that never existed: revisions, the slug redirect, the
 * edit form and its action, the view beacon, and no title of it on profile pages. A draft article
 * is not named on the thread it was promoted from. Moderators still see all of it.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

const HIDDEN_ANSWER_TEXT = "Use the affiliate coupon at shady example dot com for billing.";
const EDIT_REASON = "Swapped the coupon link for a tracking one";
const HIDDEN_TITLE = "Confidential roadmap for the billing migration";
const DRAFT_TITLE = "Draft: exporting invoices when the button is missing";

async function signedIn(user: { email: string }) {
  const client = new HttpClient(server.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  return client;
}

async function setup() {
  const asker = await makeUser();
  const helper = await makeUser();
  const voter = await makeUser();
  const moderator = await makeUser({ role: "moderator" });
  const staff = await makeUser({ role: "staff" });

  // A live thread with an answer that was edited (with a reason), then hidden by a moderator.
  const live = await makeQuestion(asker.id);
  const hiddenAnswer = await makeAnswer(helper.id, live.threadId, "A first version of the answer, later edited.");
  const edited = await editPost(helper.id, hiddenAnswer, { body: docJson(HIDDEN_ANSWER_TEXT), reason: EDIT_REASON });
  if (!edited.ok) throw new Error(JSON.stringify(edited));
  expect((await setPostHidden(moderator.id, hiddenAnswer, true, { reason: "spam" })).ok).toBe(true);

  // A thread whose question earned reputation, then was hidden (the whole thread is hidden).
  const hidden = await makeQuestion(asker.id, { title: HIDDEN_TITLE });
  await castVote(voter.id, hidden.postId, { value: 1 });
  await drainEvents();
  expect((await setPostHidden(moderator.id, hidden.postId, true, { reason: "internal" })).ok).toBe(true);
  await drainEvents();

  // A thread its asker deleted.
  const deleted = await makeQuestion(asker.id, { title: "A question I asked by mistake, then deleted" });
  expect((await deletePost(asker.id, deleted.postId)).ok).toBe(true);

  // A thread promoted into an article that is still a draft.
  const promoted = await makeQuestion(asker.id, { title: "Where did the invoice export button go?" });
  const article = await promoteThreads(staff.id, { threadIds: [promoted.threadId.toString()], confirmUnresolved: true });
  if (!article.ok) throw new Error(JSON.stringify(article));
  await prisma.article.update({ where: { id: article.value.articleId }, data: { title: DRAFT_TITLE } });

  const slugOf = async (threadId: bigint) => (await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } })).slug;
  const { handle: askerHandle } = await prisma.user.findUniqueOrThrow({ where: { id: asker.id }, select: { handle: true } });
  return {
    users: { asker, helper, voter, moderator, staff },
    askerHandle,
    live: { ...live, path: `/questions/${live.threadId}/${await slugOf(live.threadId)}` },
    hiddenAnswer,
    hidden: { ...hidden, slug: await slugOf(hidden.threadId) },
    deleted: { ...deleted, slug: await slugOf(deleted.threadId) },
    promoted: { ...promoted, path: `/questions/${promoted.threadId}/${await slugOf(promoted.threadId)}` },
  };
}

describe("hidden and deleted content answers 404 to everyone who cannot see it", () => {
  test("visitors, members and the authors themselves get 404 on every route that would show it, and see no trace of it", async () => {
    const f = await setup();
    const viewers: [string, HttpClient][] = [
      ["a visitor", new HttpClient(server.url)],
      ["another member", await signedIn(f.users.voter)],
      ["the hidden answer's author", await signedIn(f.users.helper)],
      ["the hidden thread's asker", await signedIn(f.users.asker)],
    ];
    // Each as a document and as the route's data (what client-side navigation fetches).
    const routes: [string, string][] = [
      [`/posts/${f.hiddenAnswer}/revisions`, "routes/posts.$id.revisions"],
      [`/posts/${f.hidden.postId}/revisions`, "routes/posts.$id.revisions"],
      [`/posts/${f.deleted.postId}/revisions`, "routes/posts.$id.revisions"],
      [`/questions/${f.hidden.threadId}`, "routes/questions.$id._index"],
      [`/questions/${f.deleted.threadId}`, "routes/questions.$id._index"],
      [`/questions/${f.hidden.threadId}/${f.hidden.slug}`, "routes/questions.$id.$slug"],
      [`/questions/${f.deleted.threadId}/${f.deleted.slug}`, "routes/questions.$id.$slug"],
    ];
    for (const [who, client] of viewers) {
      for (const [path, routeId] of routes) {
        for (const url of [path, `${path}?_data=${encodeURIComponent(routeId)}`]) {
          const response = await client.get(url);
          const text = await response.text();
          expect.soft(response.status, `${who}: GET ${url}`).toBe(404);
          expect.soft(response.headers.get("location") ?? response.headers.get("x-remix-redirect"), `${who}: GET ${url}`).toBeNull();
          // The page may echo the address the visitor typed (a sign-in link's redirectTo, the language form's
          // return address): that tells them nothing they did not send. Anything else must not carry the slug.
          const unechoed = text.split(encodeURIComponent(path)).join("").split(path).join("");
          for (const secret of [HIDDEN_ANSWER_TEXT, EDIT_REASON, HIDDEN_TITLE, f.hidden.slug, f.deleted.slug]) expect.soft(unechoed, `${who}: GET ${url}`).not.toContain(secret);
        }
      }
      const view = await client.post(`/questions/${f.hidden.threadId}/view`, {}, { csrf: await client.csrfToken(who === "a visitor" ? "/signup" : "/account") });
      expect.soft(view.status, `${who}: the view beacon of a hidden thread`).toBe(404);
      const profile = await (await client.get(`/u/${f.askerHandle}`)).text();
      expect.soft(profile, `${who}: the asker's profile`).not.toContain(HIDDEN_TITLE);
      expect.soft(profile, `${who}: the asker's profile`).not.toContain(f.hidden.slug);
      const promoted = await (await client.get(f.promoted.path)).text();
      expect.soft(promoted, `${who}: a thread promoted into a draft`).not.toContain(DRAFT_TITLE);
    }
    expect.soft((await prisma.thread.findUniqueOrThrow({ where: { id: f.hidden.threadId } })).viewCount).toBe(0);
  });

  test("the author of a hidden answer can neither open its edit form nor post an edit: 404, and no revision is added", async () => {
    const f = await setup();
    const helper = await signedIn(f.users.helper);
    const form = await helper.get(`/posts/${f.hiddenAnswer}/edit`);
    expect(form.status).toBe(404);
    expect(await form.text()).not.toContain("affiliate coupon");
    const revisions = await prisma.postRevision.count({ where: { postId: f.hiddenAnswer } });
    const edit = await helper.post(`/posts/${f.hiddenAnswer}/edit`, { body: docJson("Trying to change a hidden answer anyway."), reason: "sneaky" }, { csrf: await helper.csrfToken("/account") });
    expect(edit.status).toBe(404);
    expect(await prisma.postRevision.count({ where: { postId: f.hiddenAnswer } })).toBe(revisions);
    const asker = await signedIn(f.users.asker);
    const question = await asker.post(`/posts/${f.hidden.postId}/edit`, { title: "Renaming a hidden thread of mine", body: docJson("Changing the text of a hidden question.") }, { csrf: await asker.csrfToken("/account") });
    expect(question.status).toBe(404);
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: f.hidden.threadId } })).title).toBe(HIDDEN_TITLE);
  });

  test("moderators still see hidden content: its revisions with the reason, the slug redirect and the edit form", async () => {
    const f = await setup();
    const moderator = await signedIn(f.users.moderator);
    const revisions = await moderator.get(`/posts/${f.hiddenAnswer}/revisions`);
    expect(revisions.status).toBe(200);
    const text = await revisions.text();
    expect(text).toContain(EDIT_REASON);
    const redirect = await moderator.get(`/questions/${f.hidden.threadId}`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe(`/questions/${f.hidden.threadId}/${f.hidden.slug}`);
    expect((await moderator.get(`/posts/${f.hiddenAnswer}/edit`)).status).toBe(200);
    const staff = await signedIn(f.users.staff);
    expect(await (await staff.get(f.promoted.path)).text()).toContain(DRAFT_TITLE);
  });
});
