import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, prepareTemplate, type TestDatabase } from "../support/database.ts";

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
