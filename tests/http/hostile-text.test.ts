import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { docJson, GOOD_PASSWORD, makeAnswer, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";
import { routeIdOf } from "../support/form-submissions.ts";
import { inEnglish } from "../support/messages.ts";

/**
 * Hostile text over HTTP (issue 16, item 7): NUL and other control characters in any field of any
 * form that writes, and in URL parameters and query strings that reach PostgreSQL (which refuses
 * NUL in text), must give a 400 with a message (or a 404 for a URL that names nothing), never a 500,
 * and leave nothing written. Titles, tags, names and handles of invisible characters only are
 * refused; text is stored NFC and without bidirectional overrides.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

type Who = "anonymous" | "member" | "moderator" | "staff" | "admin";

async function fixture() {
  const users = {
    member: await makeUser(),
    moderator: await makeUser({ role: "moderator" }),
    staff: await makeUser({ role: "staff" }),
    admin: await makeUser({ role: "admin" }),
  };
  const category = await makeCategory();
  const { threadId, postId } = await makeQuestion(users.member.id, { categoryId: category.id });
  const answerId = await makeAnswer(users.staff.id, threadId);
  const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
  const article = await createArticle(users.staff.id, {
    title: "Exporting invoices as CSV files",
    categoryId: category.id,
    tags: "billing",
    bodyText: "Open Billing, then Invoices, then choose Export and CSV.",
  });
  if (!article.ok) throw new Error(JSON.stringify(article));
  await prisma.article.update({ where: { id: article.value.articleId }, data: { status: "published", publishedAt: new Date() } });
  const { slug: articleSlug } = await prisma.article.findUniqueOrThrow({ where: { id: article.value.articleId }, select: { slug: true } });
  const clients: Record<Who, HttpClient> = {
    anonymous: new HttpClient(server.url),
    member: new HttpClient(server.url),
    moderator: new HttpClient(server.url),
    staff: new HttpClient(server.url),
    admin: new HttpClient(server.url),
  };
  for (const who of ["member", "moderator", "staff", "admin"] as const) await clients[who].signIn(users[who].email, GOOD_PASSWORD);
  await clients.anonymous.get("/questions");
  return {
    users,
    clients,
    category,
    threadPath: `/questions/${threadId}/${slug}`,
    threadId,
    postId,
    answerId,
    articleId: article.value.articleId,
    articlePath: `/kb/${category.slug}/${articleSlug}`,
  };
}

/** Rows a form could write: nothing may change when the form is refused. */
async function rowCounts() {
  const [threads, posts, revisions, comments, articles, articleRevisions, feedback, categories, users, events, searches] = await Promise.all([
    prisma.thread.count(),
    prisma.post.count(),
    prisma.postRevision.count(),
    prisma.comment.count(),
    prisma.article.count(),
    prisma.articleRevision.count(),
    prisma.articleFeedback.count(),
    prisma.category.count(),
    prisma.user.count(),
    prisma.domainEvent.count(),
    prisma.searchQuery.count(),
  ]);
  return { threads, posts, revisions, comments, articles, articleRevisions, feedback, categories, users, events, searches };
}

/** Posts a form as the page's JavaScript does, so the action's JSON reply comes back. */
async function postForData(client: HttpClient, path: string, page: string, fields: Record<string, string>) {
  let csrf = tokens.get(client);
  if (!csrf) tokens.set(client, (csrf = await client.csrfToken(page)));
  return client.post(`${path}?_data=${encodeURIComponent(routeIdOf(path))}`, fields, { csrf });
}
/** A client's CSRF token stays the same while its cookie does. */
const tokens = new WeakMap<HttpClient, string>();

/** The message a refused form shows for `field`, from either reply shape (ours or Conform's). */
function fieldMessages(body: unknown, field: string): string[] {
  const b = body as { fieldErrors?: Record<string, string[]>; error?: Record<string, string[] | null> };
  return b.fieldErrors?.[field] ?? b.error?.[field] ?? [];
}

const CONTROL_CHARACTERS = ["\u0000", "\u001b", "\u007f", "\u0085"];

describe("control characters in form fields", () => {
  test("every text field of every form that writes answers 400 with a message for that field, and writes nothing", async () => {
    const f = await fixture();
    const bad = (text: string, c: string) => `${text.slice(0, 8)}${c}${text.slice(8)}`;
    const title = "How do I export invoices as CSV?";
    const cases: { who: Who; path: string; page: string; fields: Record<string, string>; field: string; hostile?: string }[] = [
      { who: "anonymous", path: "/signup", page: "/signup", fields: { email: "new-person@example.com", handle: "new-person", displayName: "New Person", password: GOOD_PASSWORD }, field: "displayName" },
      { who: "anonymous", path: "/signup", page: "/signup", fields: { email: "new-person@example.com", handle: "new-person", displayName: "New Person", password: GOOD_PASSWORD }, field: "handle" },
      { who: "member", path: "/account", page: "/account", fields: { intent: "profile", displayName: "A Member", bio: "I answer billing questions." }, field: "displayName" },
      { who: "member", path: "/account", page: "/account", fields: { intent: "profile", displayName: "A Member", bio: "I answer billing questions." }, field: "bio" },
      { who: "admin", path: "/admin/categories", page: "/admin/categories", fields: { intent: "create", name: "Shipping and returns", slug: "shipping", description: "Parcels, returns and refunds." }, field: "name" },
      { who: "admin", path: "/admin/categories", page: "/admin/categories", fields: { intent: "create", name: "Shipping and returns", slug: "shipping", description: "Parcels, returns and refunds." }, field: "description" },
      { who: "member", path: "/questions/new", page: "/questions/new", fields: { title, categoryId: String(f.category.id), tags: "billing", bodyText: "I looked everywhere in the billing settings." }, field: "title" },
      { who: "member", path: "/questions/new", page: "/questions/new", fields: { title, categoryId: String(f.category.id), tags: "billing", bodyText: "I looked everywhere in the billing settings." }, field: "tags" },
      { who: "member", path: "/questions/new", page: "/questions/new", fields: { title, categoryId: String(f.category.id), tags: "billing", bodyText: "I looked everywhere in the billing settings." }, field: "bodyText" },
      { who: "member", path: "/questions/new", page: "/questions/new", fields: { title, categoryId: String(f.category.id), tags: "billing", body: "" }, field: "body", hostile: "json" },
      { who: "member", path: f.threadPath, page: f.threadPath, fields: { intent: "answer", bodyText: "Open Billing, then Invoices, then Export." }, field: "bodyText" },
      { who: "member", path: f.threadPath, page: f.threadPath, fields: { intent: "answer", body: "" }, field: "body", hostile: "json" },
      { who: "member", path: f.threadPath, page: f.threadPath, fields: { intent: "comment", postId: String(f.answerId), body: "Thanks, that worked for me." }, field: "body" },
      { who: "moderator", path: f.threadPath, page: f.threadPath, fields: { intent: "hide", postId: String(f.answerId), reason: "Off topic for this thread" }, field: "reason" },
      { who: "member", path: `/posts/${f.postId}/edit`, page: `/posts/${f.postId}/edit`, fields: { title, bodyText: "I looked everywhere in the billing settings.", reason: "Clearer wording" }, field: "title" },
      { who: "member", path: `/posts/${f.postId}/edit`, page: `/posts/${f.postId}/edit`, fields: { title, bodyText: "I looked everywhere in the billing settings.", reason: "Clearer wording" }, field: "reason" },
      { who: "staff", path: "/kb/new", page: "/kb/new", fields: { title: "Exporting invoices, step by step", categoryId: String(f.category.id), tags: "billing", bodyText: "Open Billing, then Invoices, then Export as CSV." }, field: "title" },
      { who: "staff", path: `/kb/articles/${f.articleId}/edit`, page: `/kb/articles/${f.articleId}/edit`, fields: { title: "Exporting invoices, step by step", categoryId: String(f.category.id), tags: "billing", bodyText: "Open Billing, then Invoices, then Export as CSV.", reason: "Steps" }, field: "reason" },
      { who: "anonymous", path: f.articlePath, page: f.articlePath, fields: { intent: "feedback", articleId: String(f.articleId), helpful: "no", comment: "The Export menu is not there." }, field: "comment" },
      { who: "staff", path: `/u/${f.users.member.handle}`, page: `/u/${f.users.member.handle}`, fields: { points: "10", reason: "Great answers on billing" }, field: "reason" },
      { who: "anonymous", path: "/search/log", page: "/signup", fields: { q: "export invoices", from: "page" }, field: "q" },
    ];
    for (const c of cases) {
      for (const control of CONTROL_CHARACTERS) {
        const client = f.clients[c.who];
        const fields = { ...c.fields };
        if (c.hostile === "json") fields[c.field] = docJson(`Open Billing${control}, then Invoices, then Export.`);
        else fields[c.field] = bad(fields[c.field]!, control);
        const before = await rowCounts();
        const response = await postForData(client, c.path, c.page, fields);
        const label = `${c.who} POST ${c.path} ${c.field} with U+${control.codePointAt(0)!.toString(16).padStart(4, "0")}`;
        expect.soft(response.status, label).toBe(400);
        const messages = fieldMessages(await response.json().catch(() => ({})), c.field);
        expect.soft(messages.length, label).toBeGreaterThan(0);
        expect.soft(await rowCounts(), label).toEqual(before);
      }
    }
  }, 120_000);

  test("ids and keys posted with a NUL answer 400 or 404, never 500", async () => {
    const f = await fixture();
    const cases: { who: Who; path: string; page: string; fields: Record<string, string> }[] = [
      { who: "admin", path: "/admin/users", page: "/admin/users", fields: { intent: "role", userId: `${f.users.member.id}\u0000`, role: "staff" } },
      { who: "admin", path: "/admin/users", page: "/admin/users", fields: { intent: "suspension", userId: `x\u0000`, suspend: "true" } },
      { who: "member", path: "/account", page: "/account", fields: { intent: "revoke", sessionId: "abc\u0000def" } },
      { who: "staff", path: f.articlePath, page: f.articlePath, fields: { intent: "owner", articleId: String(f.articleId), ownerId: `${f.users.staff.id}\u0000` } },
      { who: "anonymous", path: "/forgot-password", page: "/forgot-password", fields: { email: "someone\u0000@example.com" } },
      { who: "anonymous", path: "/reset-password", page: "/forgot-password", fields: { token: `${"a".repeat(30)}\u0000`, password: GOOD_PASSWORD, confirm: GOOD_PASSWORD } },
      { who: "anonymous", path: "/search/log", page: "/signup", fields: { q: "export", from: "page", opened: "thread:1\u0000" } },
      { who: "anonymous", path: "/login", page: "/login", fields: { email: "someone\u0000@example.com", password: GOOD_PASSWORD } },
      { who: "anonymous", path: "/login", page: "/login", fields: { email: f.users.member.email, password: `${GOOD_PASSWORD}\u0000` } },
      // Notifications (issue 18): ids, targets and settings, with a NUL or past the range of a bigint.
      { who: "member", path: "/notifications", page: "/notifications", fields: { intent: "open", ids: "1\u0000" } },
      { who: "member", path: "/notifications", page: "/notifications", fields: { intent: "read", ids: "9999999999999999999" } },
      { who: "member", path: "/notifications", page: "/notifications", fields: { intent: "open", ids: "1,9999999999999999999" } },
      { who: "member", path: "/watches", page: "/notifications", fields: { targetType: "thread", targetId: `${f.threadId}\u0000`, watching: "true" } },
      { who: "member", path: "/watches", page: "/notifications", fields: { targetType: "tag", targetId: "9999999999999999999", watching: "true" } },
      { who: "member", path: "/account/notifications", page: "/account/notifications", fields: { answers: "immediate\u0000" } },
      { who: "anonymous", path: "/unsubscribe/ab%00cd", page: "/signup", fields: { "List-Unsubscribe": "One-Click" } },
    ];
    for (const c of cases) {
      const client = f.clients[c.who];
      const response = await postForData(client, c.path, c.page, c.fields);
      expect.soft([400, 404], `${c.who} POST ${c.path} ${JSON.stringify(c.fields)}`).toContain(response.status);
    }
  });
});

describe("control characters in URLs", () => {
  test("parameters and query strings that reach the database answer 400 or 404, never 500", async () => {
    const f = await fixture();
    const cursor = Buffer.from(JSON.stringify({ v: "2026-01-01T00:00:00.000Z\u0000", id: "1" })).toString("base64url");
    const urls: { who: Who; url: string }[] = [
      { who: "anonymous", url: "/u/ab%00cd" },
      { who: "anonymous", url: "/categories/ab%00cd" },
      { who: "anonymous", url: "/tags/ab%00cd" },
      { who: "anonymous", url: "/badges/ab%00cd" },
      { who: "anonymous", url: `/kb/${f.category.slug}/ab%00cd` },
      { who: "anonymous", url: "/kb/ab%00cd/ef" },
      { who: "anonymous", url: `/questions/${f.threadId}/ab%00cd` },
      { who: "anonymous", url: `/questions?after=${cursor}` },
      { who: "anonymous", url: `/categories/${f.category.slug}?after=${cursor}` },
      { who: "anonymous", url: "/leaderboard?category=ab%00cd" },
      { who: "anonymous", url: "/search/suggest?q=export%00invoices" },
      { who: "anonymous", url: "/reset-password?token=ab%00cd" },
      { who: "anonymous", url: "/login?redirectTo=%2Fquestions%00" },
      { who: "admin", url: "/admin/users?q=ab%00cd" },
      { who: "admin", url: "/admin/users?after=ab%00cd" },
      { who: "staff", url: "/dashboard?category=ab%00cd" },
      { who: "staff", url: "/dashboard/export/unanswered?category=ab%00cd" },
      { who: "staff", url: "/kb/review?owner=ab%00cd" },
      { who: "member", url: "/notifications?after=2026-01-01T00:00:00.000Z_1%00" },
      { who: "member", url: "/notifications?after=2026-01-01T00:00:00.000Z_9999999999999999999" },
      { who: "member", url: "/users/handles?q=ab%00cd" },
      { who: "anonymous", url: "/unsubscribe/ab%00cd" },
      { who: "anonymous", url: "/badges/first_question?after=9999999999999999999" },
    ];
    for (const { who, url } of urls) {
      const response = await f.clients[who].get(url);
      expect.soft([200, 301, 302, 400, 404], `${who} GET ${url}`).toContain(response.status);
    }
  });

  test("a search query with a control character is refused with a 400 and a message, not searched or logged", async () => {
    const f = await fixture();
    const before = await prisma.searchQuery.count();
    const response = await f.clients.anonymous.get("/search?q=export%00invoices");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("cannot be used in a search");
    expect(await prisma.searchQuery.count()).toBe(before);
  });
});

describe("invisible characters, normalisation and bidirectional controls", () => {
  test("titles, tags, display names and handles made of invisible characters only are refused with their field's message", async () => {
    const f = await fixture();
    const invisible = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u3164\u115f\u2800\u202e\u2066".repeat(4);
    const member = f.clients.member;
    const ask = await postForData(member, "/questions/new", "/questions/new", { title: invisible, categoryId: String(f.category.id), tags: "billing", bodyText: "I looked everywhere in the billing settings." });
    expect(ask.status).toBe(400);
    expect(fieldMessages(inEnglish(await ask.json()), "title")).toContain("Write a title");
    const tags = await postForData(member, "/questions/new", "/questions/new", { title: "How do I export invoices as CSV?", categoryId: String(f.category.id), tags: `billing, ${invisible}`, bodyText: "I looked everywhere in the billing settings." });
    expect(tags.status).toBe(400);
    expect(fieldMessages(inEnglish(await tags.json()), "tags").length).toBeGreaterThan(0);
    const profile = await postForData(member, "/account", "/account", { intent: "profile", displayName: invisible, bio: "" });
    expect(profile.status).toBe(400);
    expect(fieldMessages(inEnglish(await profile.json()), "displayName")).toContain("Enter your name");
    const anonymous = f.clients.anonymous;
    const signup = await postForData(anonymous, "/signup", "/signup", { email: "ghost@example.com", handle: invisible, displayName: invisible, password: GOOD_PASSWORD });
    expect(signup.status).toBe(400);
    const reply = inEnglish(await signup.json());
    expect(fieldMessages(reply, "displayName")).toContain("Enter your name");
    expect(fieldMessages(reply, "handle").length).toBeGreaterThan(0);
    const category = await postForData(f.clients.admin, "/admin/categories", "/admin/categories", { intent: "create", name: invisible, slug: "ghost", description: "" });
    expect(category.status).toBe(400);
    expect(fieldMessages(inEnglish(await category.json()), "name")).toContain("Name the category");
    expect(await prisma.thread.count({ where: { authorId: f.users.member.id } })).toBe(1);
    expect(await prisma.user.count({ where: { email: "ghost@example.com" } })).toBe(0);
    expect(await prisma.category.count({ where: { slug: "ghost" } })).toBe(0);
  });

  test("a title is stored NFC, trimmed of invisible characters and without bidirectional overrides; the same rule runs on names and comments", async () => {
    const f = await fixture();
    const member = f.clients.member;
    // "Café" typed with a combining accent, an override that would show "txt.exe" as "exe.txt", a zero-width space at each end.
    const typed = "\u200bCafe\u0301 invoices: why is my file \u202etxt.exe\u202c so slow?\u200b";
    const ask = await member.post("/questions/new", { title: typed, categoryId: String(f.category.id), tags: "cafe\u0301, billing", bodyText: "I looked everywhere in the billing settings." }, { csrf: await member.csrfToken("/questions/new") });
    expect(ask.status).toBe(302);
    const thread = await prisma.thread.findFirstOrThrow({ where: { authorId: f.users.member.id }, orderBy: { id: "desc" }, select: { id: true, title: true, tags: { select: { tag: { select: { name: true } } } } } });
    expect(thread.title).toBe("Caf\u00e9 invoices: why is my file txt.exe so slow?");
    expect(thread.tags.map((t) => t.tag.name).sort()).toEqual(["billing", "caf\u00e9"]);
    const profile = await member.post("/account", { intent: "profile", displayName: "\u202eAnna Ionescu\u202c", bio: "Ro\u0219ia \u2067ok\u2069" }, { csrf: await member.csrfToken("/account") });
    expect(profile.status).toBe(200);
    const user = await prisma.user.findUniqueOrThrow({ where: { id: f.users.member.id }, select: { displayName: true, bio: true } });
    expect(user).toEqual({ displayName: "Anna Ionescu", bio: "Ro\u0219ia ok" });
    const comment = await member.post(f.threadPath, { intent: "comment", postId: String(f.answerId), body: "Works \u202eevil\u202c now, thanks \u4f60\u597d" }, { csrf: await member.csrfToken(f.threadPath) });
    expect(comment.status).toBe(200);
    const stored = await prisma.comment.findFirstOrThrow({ where: { postId: f.answerId }, orderBy: { id: "desc" }, select: { body: true } });
    expect(stored.body).toBe("Works evil now, thanks \u4f60\u597d");
  });
});
