/**
 * A fresh, migrated database for one benchmark run, created and dropped the same way the tests do
 * (tests/support/database.ts): a clone of a template on the PostgreSQL server in DATABASE_URL, or
 * an in-memory embedded PGlite copy when DATABASE_URL is unset. A fresh database means every run
 * starts from the same seeded demo content.
 */
import pg from "pg";
import { createTestDatabase, prepareTemplate, type TestDatabase } from "../../support/database.ts";

export type BenchDatabase = TestDatabase & {
  /** How the report names it, e.g. "PostgreSQL 15.14 at 127.0.0.1:5432" or "embedded PGlite". */
  description: string;
};

export async function createBenchDatabase(serverUrl: string | null): Promise<BenchDatabase> {
  await prepareTemplate(serverUrl);
  const db = await createTestDatabase(serverUrl);
  try {
    const description = serverUrl ? `PostgreSQL ${await serverVersion(db.url)} at ${new URL(serverUrl).host}` : "embedded PGlite (in the bench process)";
    return { ...db, description };
  } catch (error) {
    await db.drop().catch(() => {});
    throw error;
  }
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>("SHOW server_version");
    return result.rows[0]?.server_version.split(" ")[0] ?? "unknown version";
  } finally {
    await client.end();
  }
}
