import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";

let server: Awaited<ReturnType<typeof startAppServer>>;
let actionPaths: string[];
/**
 * Actions authenticated by a signed token in their URL instead of the CSRF token: the RFC 8058
 * one-click unsubscribe, which a mail provider posts without cookies (ADR 041). A bad token is 400
 * there (tests/http/notifications.test.ts); nothing else may join this list.
 */
const TOKEN_AUTHENTICATED = ["/unsubscribe/x"];
/**
 * The JSON API (/api/v1, ADR 063) never reads cookies: a request is a visitor or the member of its API key,
 * so there is no ambient credential for a forged cross-site request to ride on. Without a key its writes
 * answer 401 (tests/http/api.test.ts: "cookies never authenticate a write").
 */
const API_PREFIX = "/api/v1/";

/** A route's URL path: its own path after its parents' (nested routes have relative paths). */
function fullPath(id: string): string {
  const route = server.build.routes[id]!;
  const own = route.path ?? "";
  const parent = route.parentId && route.parentId !== "root" ? fullPath(route.parentId) : "";
  return [parent, own].filter(Boolean).join("/");
}

beforeAll(async () => {
  server = await startAppServer();
  // Every route module with an action, so a new mutation cannot ship without the CSRF check.
  actionPaths = Object.values(server.build.routes)
    .filter((r) => typeof server.build.routes[r.id] !== "undefined" && (r.module as { action?: unknown }).action)
    .map((r) => "/" + fullPath(r.id).replace(/:[^/]+/g, "x").replace(/\*$/, "x"))
    .filter((path) => !TOKEN_AUTHENTICATED.includes(path) && !path.startsWith(API_PREFIX))
    .sort();
});
afterAll(() => server?.close());

describe("CSRF protection", () => {
  test("the app has mutations to protect", () => {
    expect(actionPaths).toEqual(
      expect.arrayContaining(["/login", "/signup", "/logout", "/account", "/admin/users", "/forgot-password", "/reset-password", "/questions/new", "/questions/x/x", "/questions/x/view", "/posts/x/edit", "/admin/categories", "/uploads", "/search/log", "/kb/new", "/kb/promote", "/kb/x/x", "/u/x"]),
    );
  });

  test("every action refuses a POST without a CSRF token (403), signed in or not", async () => {
    const admin = await makeUser({ role: "admin" });
    const signedIn = new HttpClient(server.url);
    await signedIn.signIn(admin.email, GOOD_PASSWORD);
    for (const client of [new HttpClient(server.url), signedIn]) {
      await client.get("/");
      for (const path of actionPaths) {
        const response = await client.post(path, { intent: "everywhere", email: "a@b.co", password: "x" }, { csrf: false });
        expect(response.status, `POST ${path}`).toBe(403);
      }
    }
    expect(await prisma.session.count({ where: { userId: admin.id } })).toBe(1);
  });

  test("every action refuses a POST with a forged token (403)", async () => {
    const client = new HttpClient(server.url);
    await client.get("/");
    for (const path of actionPaths) {
      const response = await client.post(path, { email: "a@b.co", password: "x" }, { csrf: "forged-token-value" });
      expect(response.status, `POST ${path}`).toBe(403);
    }
  });

  test("a POST from a foreign Origin is refused (403) even with a valid token and session", async () => {
    const user = await makeUser();
    const client = new HttpClient(server.url);
    await client.signIn(user.email, GOOD_PASSWORD);
    const token = await client.csrfToken("/account");
    const foreign: Record<string, string>[] = [{ Origin: "https://evil.example" }, { "Sec-Fetch-Site": "cross-site" }];
    for (const headers of foreign) {
      const response = await client.post("/account", { intent: "everywhere" }, { csrf: token, headers });
      expect(response.status).toBe(403);
    }
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1);
    const sameSite = await client.post("/account", { intent: "everywhere" }, { csrf: token });
    expect(sameSite.status).toBe(302);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  test("sign-out is a POST: GET /logout leaves the session alone", async () => {
    const user = await makeUser();
    const client = new HttpClient(server.url);
    await client.signIn(user.email, GOOD_PASSWORD);
    expect((await client.get("/logout")).status).toBe(302);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1);
    expect((await client.post("/logout", {}, { csrf: await client.csrfToken("/") })).status).toBe(302);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("permissions over HTTP", () => {
  test("a direct POST changing a role is refused for a non-admin (403) and changes nothing", async () => {
    const target = await makeUser();
    for (const role of ["member", "moderator", "staff"] as const) {
      const actor = await makeUser({ role });
      const client = new HttpClient(server.url);
      await client.signIn(actor.email, GOOD_PASSWORD);
      const response = await client.post("/admin/users", { intent: "role", userId: target.id, role: "admin" }, { csrf: await client.csrfToken("/") });
      expect(response.status, role).toBe(403);
    }
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("member");
    const admin = await makeUser({ role: "admin" });
    const client = new HttpClient(server.url);
    await client.signIn(admin.email, GOOD_PASSWORD);
    const ok = await client.post("/admin/users", { intent: "role", userId: target.id, role: "staff" }, { csrf: await client.csrfToken("/") });
    expect(ok.status).toBe(200);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("staff");
  });

  test("the admin page answers 403 to members and sends visitors to sign in", async () => {
    const member = await makeUser();
    const client = new HttpClient(server.url);
    expect((await client.get("/admin/users")).headers.get("location")).toMatch(/^\/login\?redirectTo=%2Fadmin%2Fusers/);
    await client.signIn(member.email, GOOD_PASSWORD);
    expect((await client.get("/admin/users")).status).toBe(403);
  });

  test("ten wrong passwords over HTTP answer 429 with Retry-After", async () => {
    const user = await makeUser();
    const client = new HttpClient(server.url);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const r = await client.post("/login", { email: user.email, password: `wrong-${i}` }, { headers: { "X-Forwarded-For": `10.9.9.${i}` } });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get("retry-after");
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
