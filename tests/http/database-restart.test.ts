import { afterAll, beforeAll, expect, test } from "vitest";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";
import { currentTestDatabase } from "../support/vitest-setup.ts";

let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

test("when the database drops every connection (a restart), the server keeps running and reconnects", async () => {
  const user = await makeUser();
  const client = new HttpClient(server!.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  expect((await client.get("/account")).status).toBe(200);

  // What a restart looks like from the app: the server closes every connection it holds (on
  // PostgreSQL every backend of this database is terminated; the embedded server drops its sockets).
  const closed = await currentTestDatabase().dropConnections();
  expect(closed).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 300));

  let status = 0;
  for (let attempt = 0; attempt < 3 && status !== 200; attempt++) status = (await client.get("/readyz")).status;
  expect(status).toBe(200);
  expect((await client.get("/account")).status).toBe(200);
});
