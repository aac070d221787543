/**
 * `npm run db:migrate`: applies pending Prisma migrations and the job queue's own schema to the
 * database in DATABASE_DIRECT_URL, else DATABASE_URL (migrations need a session connection, not a
 * transaction pooler: ADR 061). `npm start` does the same on every start; this is for deploy pipelines.
 */
import pg from "pg";
import { runMigrations } from "graphile-worker";
import { migrateDatabase } from "~/server/migrate.ts";

const url = process.env.DATABASE_DIRECT_URL || process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the PostgreSQL database to migrate.");
  process.exit(2);
}
await migrateDatabase(url, (line) => console.log(line));
const pool = new pg.Pool({ connectionString: url, max: 2 });
await runMigrations({ pgPool: pool });
await pool.end();
console.log("The database is up to date.");
