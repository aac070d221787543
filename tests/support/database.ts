/**
 * Fresh databases for tests. With DATABASE_URL (CI, or any real PostgreSQL) every test file gets
 * its own database cloned from a migrated template (`CREATE DATABASE … TEMPLATE`, ~50 ms). Without
 * it, the embedded PostgreSQL (PGlite) is used: the template is a snapshot file, and every test file
 * starts its own in-memory copy of it. Either way no test sees another's data.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { runMigrations } from "graphile-worker";
import { startEmbeddedPostgres } from "~/server/embedded-postgres.ts";
import { migrateDatabase } from "~/server/migrate.ts";

export type TestDatabase = {
  url: string;
  drop: () => Promise<void>;
  /** What a database restart looks like to the app: every connection it holds is closed. Returns how many. */
  dropConnections: () => Promise<number>;
};

const ROOT = path.resolve(import.meta.dirname, "../..");
const SNAPSHOT_DIR = path.join(ROOT, ".data", "test-templates");

/** Changes whenever a migration changes, so a stale template is never reused. */
function schemaFingerprint(): string {
  const dir = path.join(ROOT, "prisma/migrations");
  const hash = crypto.createHash("sha256");
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, "migration.sql");
    if (fs.existsSync(file)) hash.update(name).update(fs.readFileSync(file));
  }
  hash.update(JSON.stringify(JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/graphile-worker/package.json"), "utf8")).version));
  return hash.digest("hex").slice(0, 12);
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The PostgreSQL server tests run on: DATABASE_URL as given to `npm test` (it must allow CREATE
 * DATABASE), or null for the embedded one. Read once by the global setups and handed to workers.
 */
export function testServerUrl(): string | null {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? null;
}

async function migrateAll(url: string) {
  await migrateDatabase(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await runMigrations({ pgPool: pool });
  } finally {
    await pool.end();
  }
}

/** Creates the migrated template once per schema version (call from a global setup). */
/**
 * One template per role and schema version: a template made by another role could not be copied,
 * and its tables would belong to that role.
 */
function templateName(base: string | null): string {
  const role = base ? decodeURIComponent(new URL(base).username || "postgres").replace(/[^a-zA-Z0-9_]/g, "_").slice(0, 20) : "embedded";
  return `threadwise_tpl_${role}_${schemaFingerprint()}`;
}

export async function prepareTemplate(base: string | null): Promise<void> {
  const name = templateName(base);
  if (base) {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query("SELECT pg_advisory_lock(727274)");
      await dropStaleDatabases(admin);
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${building}"`);
        await migrateAll(withDatabase(base, building));
        await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      }
    } finally {
      await admin.query("SELECT pg_advisory_unlock(727274)").catch(() => {});
      await admin.end();
    }
    return;
  }
  const file = path.join(SNAPSHOT_DIR, `${name}.tar.gz`);
  if (fs.existsSync(file)) return;
  fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const { freePort } = await import("~/server/embedded-postgres.ts");
  const db = await PGlite.create();
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 8 });
  await server.start();
  try {
    await migrateAll(`postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`);
  } finally {
    await server.stop();
  }
  const blob = await db.dumpDataDir("gzip");
  await db.close();
  fs.writeFileSync(`${file}.tmp`, Buffer.from(await blob.arrayBuffer()));
  fs.renameSync(`${file}.tmp`, file);
}

/** A new, migrated, empty database of its own. */
export async function createTestDatabase(base: string | null): Promise<TestDatabase> {
  const template = templateName(base);
  if (base) {
    const name = `threadwise_t_${Date.now().toString(36)}_${crypto.randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } finally {
      await admin.end();
    }
    return {
      url: withDatabase(base, name),
      async dropConnections() {
        const c = new pg.Client({ connectionString: withDatabase(base, name) });
        await c.connect();
        try {
          const killed = await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
          return killed.rowCount ?? 0;
        } finally {
          await c.end();
        }
      },
      async drop() {
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        try {
          // FORCE cannot end another role's backend (an autovacuum worker that just started in this
          // database answers "must be a member of the role…"): wait for it to finish and try again.
          for (let attempt = 1; ; attempt++) {
            try {
              await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
              break;
            } catch (error) {
              if ((error as { code?: string }).code !== "42501" || attempt >= 20) throw error;
              await new Promise((resolve) => setTimeout(resolve, 250));
            }
          }
        } finally {
          await c.end();
        }
      },
    };
  }
  const file = path.join(SNAPSHOT_DIR, `${template}.tar.gz`);
  const embedded = await startEmbeddedPostgres({ loadFrom: new Blob([fs.readFileSync(file)]) });
  return {
    url: embedded.url,
    drop: embedded.stop,
    // PGlite serves every connection from one backend: its socket server closes them all.
    dropConnections: embedded.dropConnections,
  };
}

/** Test databases left behind by runs that were killed (their names carry their creation time). */
async function dropStaleDatabases(admin: pg.Client) {
  const rows = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'threadwise\\_t\\_%'");
  for (const { datname } of rows.rows) {
    const created = parseInt(datname.split("_")[2] ?? "", 36);
    if (Number.isFinite(created) && Date.now() - created > 3 * 3600_000) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    }
  }
}
