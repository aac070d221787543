import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

const MIGRATIONS_DIR = path.resolve("prisma/migrations");

/** Migration folders in the repository that the database has not applied yet. */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const wanted = fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present`);
    if (!exists.rows[0]?.present) return wanted;
    const done = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(done.rows.map((r) => r.migration_name));
    return wanted.filter((m) => !applied.has(m));
  } finally {
    await client.end();
  }
}

/**
 * Applies pending Prisma migrations with `prisma migrate deploy` (the JS engine through pg: see
 * docs/decisions/001-database-tooling.md). Skipped when nothing is pending, since the CLI itself
 * needs ~11 s even for nothing. After applying any, the planner's statistics are refreshed (ANALYZE):
 * a column a migration adds has none, and PostgreSQL then guesses `IS NULL` on it matches almost no
 * row, which turned the question list on the large dataset into a sequential scan (47 ms instead of 1)
 * until autovacuum got round to the table.
 */
export async function migrateDatabase(databaseUrl: string, log: (line: string) => void = () => {}): Promise<void> {
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length === 0) return;
  log(`Applying ${pending.length} database migration(s): ${pending.join(", ")}`);
  const prismaBin = path.resolve("node_modules/.bin/prisma");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(prismaBin, ["migrate", "deploy", "--config", "prisma/prisma.config.ts"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`))));
  });
  log("Refreshing the planner's statistics (ANALYZE)");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The application's own tables only (a database-wide ANALYZE warns about every catalog it may not touch).
    const { rows } = await client.query<{ name: string }>(`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = 'public'`);
    if (rows.length > 0) await client.query(`ANALYZE ${rows.map((r) => r.name).join(", ")}`);
  } finally {
    await client.end();
  }
}
