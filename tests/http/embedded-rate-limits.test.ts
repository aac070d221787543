import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, prepareTemplate, type TestDatabase } from "../support/database.ts";
import { inEnglish } from "../support/messages.ts";

/**
 * The embedded database (npm start without DATABASE_URL) serves every connection from one backend.
 * A prepared statement name survives the connection that made it, so a limiter that names its
 * statements failed ("already exists") on the first sign-in after its connection was replaced.
 */
let embedded: TestDatabase;
beforeAll(async () => {
  await prepareTemplate(null);
  embedded = await createTestDatabase(null);
  process.env.DATABASE_URL = embedded.url;
}, 180_000);
afterAll(async () => {
  const { disconnectDb } = await import("~/utils/db.server.ts");
  await disconnectDb();
  await embedded?.drop();
});

test("sign-in rate limits keep working on the embedded database after connections are replaced", async () => {
  const { verifySignIn } = await import("~/modules/users/sign-in.server.ts");
  const { disconnectDb } = await import("~/utils/db.server.ts");
  const attempt = () => verifySignIn({ email: "nobody@example.com", password: "wrong password" }, { ip: "10.1.1.1" });
  expect(await attempt()).toMatchObject({ kind: "invalid" });
  await disconnectDb(); // the pool goes away; the next query opens new connections to the same backend
  expect(await attempt()).toMatchObject({ kind: "invalid" });
  expect(await attempt()).toMatchObject({ kind: "invalid" });
});

test("on the embedded database, attempts are paid for before the check and the right password gets its point back", async () => {
  const { verifySignIn } = await import("~/modules/users/sign-in.server.ts");
  const { createAccount } = await import("~/modules/users/sign-up.server.ts");
  const created = await createAccount({ email: "embedded@example.com", handle: "embedded", displayName: "Embedded 嵌入式", password: "correct horse battery staple" }, "member", null);
  if (!created.ok) throw new Error(JSON.stringify(created));
  // More right-password sign-ins from one address than its 20 failures: none of them counts as one.
  for (let i = 0; i < 22; i++) {
    expect(await verifySignIn({ email: "embedded@example.com", password: "correct horse battery staple" }, { ip: "10.1.1.2" }), `sign-in ${i + 1}`).toMatchObject({ ok: true });
  }
  // A parallel burst of wrong passwords: the account's 5 attempts, then 429 without a check.
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => verifySignIn({ email: "embedded@example.com", password: `wrong ${i}` }, { ip: "10.1.1.3" })));
  expect(results.filter((r) => !r.ok && r.kind === "invalid")).toHaveLength(4);
  expect(results.filter((r) => !r.ok && r.kind === "rate-limited")).toHaveLength(8);
});

test("the upload rate and the new-account upload quota hold on the embedded database, two uploads at once included", async () => {
  process.env.UPLOAD_DIR = (await import("node:fs")).mkdtempSync(`${(await import("node:os")).tmpdir()}/threadwise-embedded-uploads-`);
  const { makeUser } = await import("../support/factories.ts");
  const { uploadImage } = await import("~/modules/content/upload-image.server.ts");
  const { LIMITS } = await import("~/utils/rate-limit.server.ts");
  const { NEW_ACCOUNT } = await import("~/modules/reputation/thresholds.ts");
  const sharp = (await import("sharp")).default;
  // Distinct images: the same bytes sent again are one upload (ADR 045), not another.
  const png = (n: number) => sharp({ create: { width: 1 + (n % 9), height: 1 + Math.floor(n / 9), channels: 3, background: { r: (n * 29) % 256, g: 60, b: 120 } } }).png().toBuffer();

  const newcomer = await makeUser({ newAccount: true });
  for (let i = 0; i < NEW_ACCOUNT.uploadsPerDay - 1; i++) expect((await uploadImage(newcomer.id, { bytes: await png(i) })).ok).toBe(true);
  const atOnce = await Promise.all([uploadImage(newcomer.id, { bytes: await png(50) }), uploadImage(newcomer.id, { bytes: await png(51) })]);
  expect(atOnce.map((r) => (r.ok ? "stored" : r.kind)).sort()).toEqual(["rate-limited", "stored"]);

  const member = await makeUser();
  for (let i = 0; i < LIMITS.uploadsPerMember.points; i++) expect((await uploadImage(member.id, { bytes: await png(i) })).ok).toBe(true);
  expect(inEnglish(await uploadImage(member.id, { bytes: await png(99) }))).toMatchObject({ kind: "rate-limited", message: expect.stringMatching(/images an hour/) });
}, 120_000);

test("on the embedded database, an API key's one admission statement spends its point and records its use; the question list reads", async () => {
  const { createApiKey, admitApiKey } = await import("~/modules/api/api-keys.server.ts");
  const { makeUser } = await import("../support/factories.ts");
  const { listThreads } = await import("~/modules/questions/questions-queries.server.ts");
  const { prisma } = await import("~/utils/db.server.ts");
  const member = await makeUser({ displayName: "API 嵌入式" });
  const made = await createApiKey({ id: member.id, role: "member", status: "active" }, { name: "Embedded", scope: "read" });
  if (!made.ok || !made.value.token) throw new Error(JSON.stringify(made));
  const first = await admitApiKey(made.value.token);
  const second = await admitApiKey(made.value.token);
  expect(first?.principal.member.handle).toBe(member.handle);
  expect([first?.spent?.remaining, second?.spent?.remaining]).toEqual([599, 598]);
  expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: made.value.id } })).lastUsedAt).not.toBeNull();
  expect(await admitApiKey(`${made.value.token.slice(0, -1)}x`)).toBeNull();
  expect((await listThreads({ filter: "all", sort: "newest" })).items).toEqual(expect.any(Array));
});
