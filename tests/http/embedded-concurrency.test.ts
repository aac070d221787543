import { afterAll, beforeAll, expect, test } from "vitest";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { createTestDatabase, prepareTemplate, type TestDatabase } from "../support/database.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";

/**
 * The embedded database (npm start without DATABASE_URL) serves every connection from one backend,
 * one protocol message at a time. A statement with parameters is several messages (Parse, Bind,
 * Execute, Sync); when another connection's messages ran in between, the backend answered "portal
 * does not exist" or "unnamed prepared statement does not exist", and after such an error the socket
 * server stopped serving anyone. Three staff members signing in at once did it. The patch in
 * .config/patches keeps a connection's messages together until its Sync (ADR 027).
 */
let embedded: TestDatabase;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
beforeAll(async () => {
  await prepareTemplate(null);
  embedded = await createTestDatabase(null);
  process.env.DATABASE_URL = embedded.url;
  server = await startAppServer();
}, 180_000);
afterAll(async () => {
  await server?.close();
  const { disconnectDb } = await import("~/utils/db.server.ts");
  await disconnectDb();
  await embedded?.drop();
});

test("members signing in and reading at the same time on the embedded database all get their pages", async () => {
  const users = await Promise.all(Array.from({ length: 6 }, (_, i) => makeUser({ role: i % 2 === 0 ? "staff" : "member" })));
  const clients = await Promise.all(
    users.map(async (user) => {
      const client = new HttpClient(server!.url);
      await client.signIn(user.email, GOOD_PASSWORD);
      return client;
    }),
  );
  const pages = await Promise.all(clients.flatMap((client, i) => [client.get("/account"), client.get(i % 2 === 0 ? "/dashboard" : "/questions")]));
  expect(pages.map((page) => page.status)).toEqual(Array(12).fill(200));
}, 120_000);
