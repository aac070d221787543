import { afterAll, beforeAll, expect, test } from "vitest";
import { HttpClient, startAppServer } from "../support/app-server.ts";

let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

beforeAll(async () => {
  // A database that does not exist: every query fails the way an outage would.
  process.env.DATABASE_URL = "postgresql://nobody:wrong@127.0.0.1:1/threadwise_missing";
  server = await startAppServer();
});
afterAll(() => server?.close());

test("an unexpected error answers 500 with a generic page and the request id, never a stack trace", async () => {
  const response = await new HttpClient(server!.url).get("/u/somebody");
  expect(response.status).toBe(500);
  const requestId = response.headers.get("x-request-id")!;
  const html = await response.text();
  expect(html).toContain("Something went wrong");
  expect(html).toContain(`Reference: ${requestId}`);
  expect(html).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+|PrismaClient|node_modules/);
});

test("/readyz reports the database as unreachable (503) while /healthz stays up", async () => {
  const client = new HttpClient(server!.url);
  expect((await client.get("/readyz")).status).toBe(503);
  expect((await client.get("/healthz")).status).toBe(200);
});
