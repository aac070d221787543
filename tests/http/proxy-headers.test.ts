import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";
import { queuedMails } from "../support/queued-mail.ts";
import { routeUrls } from "../support/route-paths.ts";

/**
 * Issue 16, item 9: forwarded headers count only from a trusted proxy (TRUST_PROXY), everywhere;
 * the Origin check trusted X-Forwarded-Host from anyone. And CSP base-uri is 'none'.
 */
let direct: Awaited<ReturnType<typeof startAppServer>>;
let proxied: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  direct = await startAppServer();
  proxied = await startAppServer({ trustProxy: "loopback" });
});
afterAll(async () => {
  await direct?.close();
  await proxied?.close();
});

const FOREIGN = { Origin: "https://evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" };

describe("without a trusted proxy, forwarded headers are ignored", () => {
  test("X-Forwarded-Host naming a foreign Origin does not get a POST past the Origin check (403, nothing changes)", async () => {
    const user = await makeUser();
    const client = new HttpClient(direct.url);
    await client.signIn(user.email, GOOD_PASSWORD);
    const token = await client.csrfToken("/account");
    const response = await client.post("/account", { intent: "everywhere" }, { csrf: token, headers: FOREIGN });
    expect(response.status).toBe(403);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1);
  });

  test("every action refuses a foreign Origin whatever X-Forwarded-Host says, with a valid token and session", async () => {
    const admin = await makeUser({ role: "admin" });
    const client = new HttpClient(direct.url);
    await client.signIn(admin.email, GOOD_PASSWORD);
    const token = await client.csrfToken("/");
    const actions = routeUrls(direct.build, (m) => Boolean(m.action));
    expect(actions.length).toBeGreaterThan(15);
    for (const { url } of actions) {
      for (const origin of ["https://evil.example", "http://evil.example"]) {
        const host = new URL(origin).host;
        const response = await client.post(url, { intent: "everywhere", email: "a@b.co", password: "x" }, { csrf: token, headers: { Origin: origin, "X-Forwarded-Host": host } });
        expect(response.status, `POST ${url} from ${origin}`).toBe(403);
      }
    }
    expect(await prisma.session.count({ where: { userId: admin.id } })).toBe(1);
  });

  test("forged X-Forwarded-Host and X-Forwarded-Proto change no link the site makes", async () => {
    const user = await makeUser();
    const client = new HttpClient(direct.url);
    const csrf = await client.csrfToken("/forgot-password");
    // Without Origin, as a script would send it (the CSRF token is still checked).
    const response = await fetch(`${direct.url}/forgot-password`, {
      method: "POST",
      body: new URLSearchParams({ email: user.email, csrf }),
      headers: { Cookie: client.cookieHeader(), "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-Host": "evil.example:8443", "X-Forwarded-Proto": "https" },
    });
    expect(response.status).toBe(200);
    const mail = (await queuedMails()).find((m) => m.to === user.email);
    expect(mail?.text).toContain(`${direct.url}/reset-password?token=`);
    expect(mail?.text).not.toMatch(/evil\.example|8443|https:/);
  });

  test("X-Forwarded-For does not choose the address a session records", async () => {
    const user = await makeUser();
    const client = new HttpClient(direct.url);
    const response = await client.post("/login", { email: user.email, password: GOOD_PASSWORD }, { headers: { "X-Forwarded-For": "203.0.113.7", Forwarded: "for=203.0.113.8" } });
    expect(response.status).toBe(302);
    const session = await prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session.ip).not.toMatch(/203\.0\.113/);
  });
});

describe("behind a trusted proxy, its forwarded headers count", () => {
  test("X-Forwarded-Host names the site: its Origin passes, a foreign one does not", async () => {
    const user = await makeUser();
    const client = new HttpClient(proxied.url);
    await client.signIn(user.email, GOOD_PASSWORD);
    const token = await client.csrfToken("/account");
    const foreign = await client.post("/account", { intent: "everywhere" }, { csrf: token, headers: { Origin: "https://evil.example", "X-Forwarded-Host": "forum.example", "X-Forwarded-Proto": "https" } });
    expect(foreign.status).toBe(403);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1);
    const same = await client.post("/account", { intent: "everywhere" }, { csrf: token, headers: { Origin: "https://forum.example", "X-Forwarded-Host": "forum.example", "X-Forwarded-Proto": "https" } });
    expect(same.status).toBe(302);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  test("X-Forwarded-For is the address a session records", async () => {
    const user = await makeUser();
    const client = new HttpClient(proxied.url);
    const response = await client.post("/login", { email: user.email, password: GOOD_PASSWORD }, { headers: { "X-Forwarded-For": "203.0.113.9" } });
    expect(response.status).toBe(302);
    expect((await prisma.session.findFirstOrThrow({ where: { userId: user.id } })).ip).toBe("203.0.113.9");
  });
});

test("pages forbid <base> elements: CSP base-uri is 'none'", async () => {
  for (const path of ["/", "/login", "/no-such-page"]) {
    const csp = (await fetch(direct.url + path)).headers.get("content-security-policy");
    expect(csp, path).toContain("base-uri 'none'");
  }
});
