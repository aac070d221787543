import { afterAll, beforeAll, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { unsubscribeToken } from "~/modules/notifications/unsubscribe.server.ts";
import { drainEvents, GOOD_PASSWORD, makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

/** A fingerprint of every row of every table the app owns (the job queue's included). */
async function databaseFingerprint(): Promise<string> {
  const tables = await prisma.$queryRaw<{ name: string }[]>`
    SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
    WHERE schemaname IN ('public', 'graphile_worker') ORDER BY 1`;
  const parts: string[] = [];
  for (const { name } of tables) {
    const [row] = await prisma.$queryRawUnsafe<{ digest: string | null; n: bigint }[]>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*) AS n FROM ${name} t`);
    parts.push(`${name}:${row!.n}:${row!.digest}`);
  }
  return parts.join("\n");
}

test("GET requests never change the database, for visitors, members and admins", async () => {
  const admin = await makeUser({ role: "admin", handle: "the-admin" });
  const member = await makeUser({ handle: "a-member" });
  const visitor = new HttpClient(server.url);
  const memberClient = new HttpClient(server.url);
  await memberClient.signIn(member.email, GOOD_PASSWORD);
  const adminClient = new HttpClient(server.url);
  await adminClient.signIn(admin.email, GOOD_PASSWORD);

  const { threadId } = await makeQuestion(member.id, { tags: ["billing"] });
  const answerId = await makeAnswer(admin.id, threadId);
  const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, include: { category: true } });
  // The notices of that answer exist before the fingerprint (their pages below must not change them).
  await drainEvents();
  const notifications = [
    "/notifications",
    "/notifications/count",
    "/account/notifications",
    "/account/watching",
    "/watches",
    `/unsubscribe/${unsubscribeToken(member.id, "answers")}`,
    "/unsubscribe/not-a-token",
    "/users/handles?q=a-m",
  ];
  const qa = [
    "/questions",
    "/questions?filter=unanswered&sort=votes",
    "/questions?filter=mine",
    `/questions/${threadId}/${thread.slug}`,
    `/questions/${threadId}`,
    `/questions/${threadId}/view`,
    `/categories/${thread.category.slug}`,
    "/tags/billing",
    `/posts/${answerId}/revisions`,
    `/posts/${answerId}/edit`,
    "/questions/new",
    "/admin/categories",
  ];
  const pages = [...qa, ...notifications, "/", "/login", "/signup", "/forgot-password", "/reset-password?token=abcdefghijklmnopqrstuvwxyz", "/account", "/u/the-admin", "/u/nobody", "/admin/users", "/admin/users?q=member", "/questions", "/kb", "/logout", "/no-such-page", "/healthz", "/readyz"];
  const before = await databaseFingerprint();
  for (const client of [visitor, memberClient, adminClient]) {
    for (const page of pages) {
      const response = await client.get(page);
      expect(response.status, page).toBeLessThan(500);
      await response.arrayBuffer();
    }
  }
  expect(await databaseFingerprint()).toBe(before);
});

test("unknown pages answer 404 with the site layout", async () => {
  const response = await new HttpClient(server.url).get("/definitely/not/here");
  expect(response.status).toBe(404);
  const html = await response.text();
  expect(html).toContain("Page not found");
  expect(html).toContain('<main id="main"');
});

test("pages carry security headers and a per-response CSP nonce", async () => {
  const client = new HttpClient(server.url);
  const a = await client.get("/");
  const b = await client.get("/");
  const csp = a.headers.get("content-security-policy") ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toEqual(b.headers.get("content-security-policy"));
  expect(a.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(a.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  const html = await a.text();
  const nonce = csp.match(/'nonce-([^']+)'/)![1];
  expect(html).toContain(`nonce="${nonce}"`);
  const cookies = a.headers.getSetCookie().join("\n");
  expect(cookies).toMatch(/tw_csrf=.*HttpOnly/i);
  expect(cookies).toMatch(/SameSite=Lax/i);
});

test("the session cookie is signed, httpOnly and SameSite=Lax", async () => {
  const user = await makeUser();
  const client = new HttpClient(server.url);
  const response = await client.post("/login", { email: user.email, password: GOOD_PASSWORD });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("tw_session="))!;
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  expect(decodeURIComponent(cookie.split(";")[0]!.split("=").slice(1).join("="))).toMatch(/\.[A-Za-z0-9+/]+$/);
});

test("health checks: /healthz is alive, /readyz reaches the database", async () => {
  const client = new HttpClient(server.url);
  expect(await (await client.get("/healthz")).json()).toEqual({ status: "ok" });
  expect(await (await client.get("/readyz")).json()).toEqual({ status: "ready", jobs: { state: "off", restarts: 0, due: expect.any(Number), oldestDueSeconds: expect.any(Number) } });
});
