import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { LIMITS } from "~/utils/rate-limit.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser, randomIp } from "../support/factories.ts";
import { needsRealServer } from "../support/real-postgres.ts";

// Fifty sign-ins at once against the limiter's row locks: concurrency belongs on a PostgreSQL server (PGlite
// runs one transaction at a time and refuses more; tests/http/embedded-rate-limits.test.ts covers it there).
needsRealServer();

/**
 * Issue 16, item 3: the sign-in lockout held for attempts one after another, but the limit was
 * checked before the password and spent after it, so a burst of 50 parallel attempts checked 50
 * passwords and the right one signed in after 49 failures.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  // Each test signs in from its own address (X-Forwarded-For from the loopback proxy).
  server = await startAppServer({ trustProxy: "loopback" });
});
afterAll(() => server?.close());

/**
 * Sends every attempt at once while the `passwords` table is locked, so that no password can be
 * checked until the lock goes: an attempt answered while the lock is held was refused without a
 * check; the attempts answered after it are the ones whose passwords were checked.
 */
async function burst(attempts: { email: string; password: string }[], ip: string) {
  const client = new HttpClient(server.url);
  const csrf = await client.csrfToken("/login");
  const locker = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await locker.connect();
  await locker.query("BEGIN");
  await locker.query("LOCK TABLE passwords IN ACCESS EXCLUSIVE MODE");
  let locked = true;
  const early: number[] = [];
  const late: number[] = [];
  const all = Promise.all(
    attempts.map(async (fields) => {
      const response = await client.post("/login", fields, { csrf, headers: { "X-Forwarded-For": ip } });
      await response.arrayBuffer();
      (locked ? early : late).push(response.status);
      return response;
    }),
  );
  // Wait until every attempt that can be refused without a check has been (quick, even on a busy
  // machine), or long enough to be sure they are not refused without a check.
  const deadline = Date.now() + 30_000;
  while (early.length < attempts.length - LIMITS.signInFailuresPerAccount.points && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  locked = false;
  await locker.query("COMMIT");
  await locker.end();
  const responses = await all;
  return { early, late, responses };
}

test("fifty parallel sign-ins with one right password check no more passwords than the account's limit", async () => {
  const user = await makeUser();
  const attempts = [...Array.from({ length: 49 }, (_, i) => ({ email: user.email, password: `wrong password ${i}` })), { email: user.email, password: GOOD_PASSWORD }];
  const { early, late, responses } = await burst(attempts, randomIp());
  // Refused before any check: everything beyond the account's 5 attempts, at once, with 429.
  expect(early.length).toBe(50 - LIMITS.signInFailuresPerAccount.points);
  expect(new Set(early)).toEqual(new Set([429]));
  // Checked: at most 5 passwords; the right one signs in only if it was one of them.
  expect(late.length).toBe(LIMITS.signInFailuresPerAccount.points);
  const signedIn = late.filter((s) => s === 302).length;
  expect(signedIn).toBeLessThanOrEqual(1);
  expect(await prisma.session.count({ where: { userId: user.id } })).toBe(signedIn);
  for (const response of responses.filter((r) => r.status === 429)) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  // Without the right password among the 5 checked, the account is now locked for everyone.
  if (signedIn === 0) {
    const after = await new HttpClient(server.url).post("/login", { email: user.email, password: GOOD_PASSWORD }, { headers: { "X-Forwarded-For": randomIp() } });
    expect(after.status).toBe(429);
  }
}, 90_000);

test("signing in with the right password does not use up the address's attempts", async () => {
  const user = await makeUser();
  const ip = randomIp();
  for (let i = 0; i < LIMITS.signInFailuresPerIp.points + 2; i++) {
    const client = new HttpClient(server.url);
    expect((await client.post("/login", { email: user.email, password: GOOD_PASSWORD }, { headers: { "X-Forwarded-For": ip } })).status, `sign-in ${i + 1}`).toBe(302);
  }
});

test("a signed-in session guessing the current password on the account page is limited like sign-in", async () => {
  const user = await makeUser();
  const ip = randomIp();
  const client = new HttpClient(server.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  const csrf = await client.csrfToken("/account");
  const change = (currentPassword: string) =>
    client.post("/account", { intent: "password", currentPassword, newPassword: "a brand new passphrase", confirm: "a brand new passphrase" }, { csrf, headers: { "X-Forwarded-For": ip } });
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await change(`guess number ${i}`)).status);
  const right = await change(GOOD_PASSWORD);
  expect([...statuses, right.status]).toEqual([400, 400, 400, 400, 429, 429]);
  expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
  // The password did not change, and the account is locked for sign-in too.
  const elsewhere = await new HttpClient(server.url).post("/login", { email: user.email, password: GOOD_PASSWORD }, { headers: { "X-Forwarded-For": randomIp() } });
  expect(elsewhere.status).toBe(429);
});
