import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { getArticleAddress } from "~/modules/kb/kb-queries.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { docJson, GOOD_PASSWORD, makeAnswer, makeCategory, makeQuestion, makeUser } from "../support/factories.ts";
import { API_KEY_STAFF_ROUTES, MEMBER_OR_PUBLIC_ROUTES, PRIVILEGED_POLICY_NAMES, PRIVILEGED_ROUTES, type WalkFixture } from "../support/privileged-routes.ts";

/**
 * Issue 19, "Permissions and bad input": every moderator, staff or admin POST, sent straight to the
 * server by a member, is refused with 403, and by a visitor with the sign-in redirect (the
 * convention of requireUser), and neither writes anything. The routes come from the build: a new
 * route with an action fails the first test until tests/support/privileged-routes.ts classifies it.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

const actionRoutes = () =>
  Object.values(server.build.routes)
    .filter((route) => typeof (route.module as { action?: unknown }).action === "function")
    .map((route) => route.id)
    .sort();

/** The route's source and the app modules it imports (one level), to spot the privileged policies it uses. */
function sourcesOf(routeId: string): string {
  const file = [".tsx", ".ts"].map((ext) => path.resolve("app", `${routeId}${ext}`)).find(existsSync);
  if (!file) return "";
  const source = readFileSync(file, "utf8");
  const imported = [...source.matchAll(/from "~\/(modules\/[^"]+)"/g)].map((m) => path.resolve("app", m[1]!)).filter(existsSync);
  return [source, ...imported.map((f) => readFileSync(f, "utf8"))].join("\n");
}

describe("every route with an action is classified", () => {
  test("each is either privileged (with the POSTs to walk) or open to members and visitors (with a reason), and one that uses a staff policy is privileged", () => {
    const routes = actionRoutes();
    expect(routes.length).toBeGreaterThan(10);
    const unclassified = routes.filter((id) => !(id in PRIVILEGED_ROUTES) && !(id in MEMBER_OR_PUBLIC_ROUTES) && !(id in API_KEY_STAFF_ROUTES));
    expect(unclassified, "add these routes to tests/support/privileged-routes.ts").toEqual([]);
    const both = routes.filter((id) => [PRIVILEGED_ROUTES, MEMBER_OR_PUBLIC_ROUTES, API_KEY_STAFF_ROUTES].filter((table) => id in table).length > 1);
    expect(both).toEqual([]);
    const stale = [...Object.keys(PRIVILEGED_ROUTES), ...Object.keys(MEMBER_OR_PUBLIC_ROUTES), ...Object.keys(API_KEY_STAFF_ROUTES)].filter((id) => !routes.includes(id));
    expect(stale, "these routes have no action any more").toEqual([]);
    const looksPrivileged = Object.keys(MEMBER_OR_PUBLIC_ROUTES).filter((id) => {
      const source = sourcesOf(id);
      return PRIVILEGED_POLICY_NAMES.some((name) => new RegExp(`\\b${name}\\b`).test(source));
    });
    expect(looksPrivileged, "these routes use a moderator/staff/admin policy: list their POSTs in PRIVILEGED_ROUTES").toEqual([]);
    // Each staff action of the API is posted to by the test named for it (a member's key refused there).
    const untested = Object.entries(API_KEY_STAFF_ROUTES).filter(([id, file]) => {
      const action = id.split(".").at(-1)!;
      return !existsSync(file) || !readFileSync(file, "utf8").includes(`/${action}\``);
    });
    expect(untested.map(([id]) => id), "these API staff actions are not posted to by their named test").toEqual([]);
  });
});

/** A "Still need help?" ticket of `customerId` on a thread (issue 20). */
async function ticketOf(customerId: string, threadId: bigint): Promise<string> {
  const { createTicket } = await import("~/modules/support/create-ticket.server.ts");
  const created = await createTicket({ id: customerId, role: "member", status: "active" }, null, { source: "thread", threadId: threadId.toString(), message: "Still broken" });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.value.ticketId.toString();
}

describe("members and visitors cannot use a privileged POST", () => {
  test("a member gets 403 and a visitor the sign-in redirect on every privileged POST, and nothing is written", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const target = await makeUser();
    const staff = await makeUser({ role: "staff" });
    const memberUser = await makeUser();
    const category = await makeCategory("Walked");
    const { threadId, postId } = await makeQuestion(asker.id, { categoryId: category.id });
    const answer = await makeAnswer(helper.id, threadId);
    const article = await createArticle(staff.id, { title: "Exporting invoices as CSV", categoryId: category.id, tags: "billing", body: docJson("Open Billing, then Invoices, and choose Export as CSV from the menu.") });
    if (!article.ok) throw new Error(JSON.stringify(article));
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { slug: true } });
    const address = await getArticleAddress(article.value.articleId);
    const fixture: WalkFixture = {
      threadPath: `/questions/${threadId}/${slug}`,
      threadId: threadId.toString(),
      answerId: answer.toString(),
      questionId: postId.toString(),
      categoryId: String(category.id),
      articleId: article.value.articleId.toString(),
      articlePath: address!.path,
      targetUserId: target.id,
      targetHandle: target.handle,
      staffId: staff.id,
      otherThreadId: (await makeQuestion(asker.id, { categoryId: category.id })).threadId.toString(),
      ticketId: await ticketOf(memberUser.id, threadId),
    };
    const member = new HttpClient(server.url);
    await member.signIn(memberUser.email, GOOD_PASSWORD);
    const visitor = new HttpClient(server.url);
    const memberCsrf = await member.csrfToken("/account");
    const visitorCsrf = await visitor.csrfToken("/login");

    const snapshot = async () => ({
      audit: await prisma.auditEntry.count(),
      events: await prisma.domainEvent.count({ where: { NOT: { type: { in: ["user.signed_in", "thread.viewed"] } } } }),
      posts: await prisma.post.findMany({ where: { threadId }, select: { id: true, hiddenAt: true, deletedAt: true, revisionCount: true }, orderBy: { id: "asc" } }),
      thread: await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { acceptedAnswerId: true, deletedAt: true, hiddenAt: true } }),
      target: await prisma.user.findUniqueOrThrow({ where: { id: target.id }, select: { role: true, status: true, reputation: true } }),
      categories: await prisma.category.findMany({ select: { id: true, name: true, slug: true, position: true, archivedAt: true }, orderBy: { id: "asc" } }),
      articles: await prisma.article.findMany({ select: { id: true, status: true, ownerId: true, revisionCount: true }, orderBy: { id: "asc" } }),
      jobs: await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'refresh-recurring-topics'`.catch(() => [{ n: -1 }]),
    });
    const before = await snapshot();

    let walked = 0;
    for (const [routeId, posts] of Object.entries(PRIVILEGED_ROUTES)) {
      for (const post of posts(fixture)) {
        walked += 1;
        const asMember = await member.post(post.path, post.fields, { csrf: memberCsrf });
        expect.soft(asMember.status, `${routeId}: a member tries to ${post.what}`).toBe(403);
        const asVisitor = await visitor.post(post.path, post.fields, { csrf: visitorCsrf });
        // A visitor is sent to sign in, or refused outright (403) where no visitor's form leads (/review).
        expect.soft([302, 403], `${routeId}: a visitor tries to ${post.what}`).toContain(asVisitor.status);
        if (asVisitor.status === 302) expect.soft(asVisitor.headers.get("location") ?? "", `${routeId}: a visitor tries to ${post.what}`).toMatch(/^\/login\?redirectTo=/);
      }
    }
    expect(walked).toBeGreaterThanOrEqual(Object.keys(PRIVILEGED_ROUTES).length);
    expect(await snapshot()).toEqual(before);
  });
});

describe("moderators and staff cannot act on staff or admin accounts", () => {
  test("a moderator or staff member can suspend neither a staff member, an admin nor another moderator, nor change anyone's role; an admin can", async () => {
    const admin = await makeUser({ role: "admin" });
    const staff = await makeUser({ role: "staff" });
    const moderator = await makeUser({ role: "moderator" });
    const otherModerator = await makeUser({ role: "moderator" });
    const member = await makeUser();
    const signed = async (user: { email: string }) => {
      const client = new HttpClient(server.url);
      await client.signIn(user.email, GOOD_PASSWORD);
      return { client, csrf: await client.csrfToken("/account") };
    };
    const accounts = await prisma.user.findMany({ where: { id: { in: [admin.id, staff.id, otherModerator.id, member.id] } }, select: { id: true, role: true, status: true }, orderBy: { id: "asc" } });
    const audit = await prisma.auditEntry.count();
    for (const [who, actor, targets] of [
      ["a moderator", moderator, [admin, staff, otherModerator]],
      ["a staff member", staff, [admin, otherModerator]],
    ] as const) {
      const { client, csrf } = await signed(actor);
      for (const target of targets) {
        const suspend = await client.post("/admin/users", { intent: "suspension", userId: target.id, suspend: "true", reason: "walk" }, { csrf });
        expect.soft(suspend.status, `${who} suspends ${target.handle}`).toBe(403);
        const role = await client.post("/admin/users", { intent: "role", userId: target.id, role: "member" }, { csrf });
        expect.soft(role.status, `${who} changes the role of ${target.handle}`).toBe(403);
      }
      const promote = await client.post("/admin/users", { intent: "role", userId: member.id, role: "admin" }, { csrf });
      expect.soft(promote.status, `${who} makes a member an admin`).toBe(403);
    }
    expect(await prisma.user.findMany({ where: { id: { in: [admin.id, staff.id, otherModerator.id, member.id] } }, select: { id: true, role: true, status: true }, orderBy: { id: "asc" } })).toEqual(accounts);
    expect(await prisma.auditEntry.count()).toBe(audit);

    const { client, csrf } = await signed(admin);
    expect((await client.post("/admin/users", { intent: "role", userId: otherModerator.id, role: "member" }, { csrf })).status).toBe(200);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: otherModerator.id } })).role).toBe("member");
  });
});
