import { afterAll, beforeAll, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "./database.ts";
import { fileNeedsRealServer } from "./real-postgres.ts";
// Schemas report with catalog keys in tests as in the app (ADR 071): the Zod error map is installed here too.
import "~/utils/messages.ts";

/**
 * Every test file runs against a fresh database of its own (see tests/support/database.ts), on a real
 * PostgreSQL server when the file called needsRealServer() (tests/support/real-postgres.ts).
 */
let database: TestDatabase | undefined;

beforeAll(async () => {
  database = await createTestDatabase(fileNeedsRealServer() ? inject("realServerUrl") : inject("testServerUrl"));
  process.env.DATABASE_URL = database.url;
});

/** This test file's database (created before its tests run). */
export function currentTestDatabase(): TestDatabase {
  if (!database) throw new Error("The test database is made in beforeAll: call this from a test");
  return database;
}

afterAll(async () => {
  const { disconnectDb } = await import("~/utils/db.server.ts");
  const { stopJobs } = await import("~/utils/jobs.server.ts");
  await stopJobs();
  await disconnectDb();
  await database?.drop();
});
