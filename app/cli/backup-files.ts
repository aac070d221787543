import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * What `npm run backup` and `npm run restore` share: where the PostgreSQL client programs are, how to run
 * one with a progress line per table, and the manifest a backup carries (row counts per table, the uploads
 * and the last migration), which restore checks its result against.
 */

export type Manifest = {
  format: 1;
  createdAt: string;
  /** The newest applied Prisma migration: restore refuses a backup newer than its code's migrations. */
  lastMigration: string | null;
  tables: Record<string, number>;
  uploads: { count: number; bytes: number };
};

export const DUMP_FILE = "database.dump";
export const UPLOADS_DIR = "uploads";
export const MANIFEST_FILE = "manifest.json";

/** pg_dump / pg_restore: PG_BIN, else the newest /usr/lib/postgresql/<version>/bin (Debian), else PATH. */
export function pgProgram(name: "pg_dump" | "pg_restore"): string {
  if (process.env.PG_BIN) return path.join(process.env.PG_BIN, name);
  const root = "/usr/lib/postgresql";
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => fs.existsSync(path.join(root, v, "bin", name)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], "bin", name);
  }
  return name;
}

/** The connection URL split for libpq programs: the password goes through PGPASSWORD, never the command line. */
export function libpqArgs(url: string): { args: string[]; env: Record<string, string> } {
  const u = new URL(url);
  const args = ["--host", u.hostname, "--port", u.port || "5432", "--username", decodeURIComponent(u.username), "--dbname", decodeURIComponent(u.pathname.slice(1))];
  const env: Record<string, string> = {};
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get("sslmode");
  if (sslmode) env.PGSSLMODE = sslmode;
  return { args, env };
}

/**
 * Runs pg_dump or pg_restore with --verbose and turns its "dumping contents of table" / "processing data
 * for table" lines into progress (`onTable(name)`); the rest of its chatter is kept for an error message.
 */
export function runPgProgram(program: string, args: string[], env: Record<string, string>, onTable: (table: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, ["--verbose", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    let buffer = "";
    child.stderr.on("data", (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        const table = /(?:dumping contents of table|processing data for table) "?([^"\s]+)"?/.exec(line)?.[1];
        if (table) onTable(table.replace(/"/g, ""));
        tail = `${tail}${line}\n`.slice(-4000);
      }
    });
    child.stdout.on("data", () => {});
    child.on("error", (error) => reject(new Error(`could not run ${program}: ${error.message} (set PG_BIN to the directory of the PostgreSQL client programs)`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(program)} exited ${code}:\n${tail}`))));
  });
}

/** Exact row counts of every table of the app's schemas (public, graphile_worker), and the newest migration. */
export async function countRows(url: string): Promise<{ tables: Record<string, number>; lastMigration: string | null }> {
  const client = new pg.Client({ connectionString: url, application_name: "threadwise-backup" });
  await client.connect();
  try {
    return await countRowsWith(client);
  } finally {
    await client.end();
  }
}

/** countRows on an open connection (inside the transaction whose snapshot pg_dump copies). */
export async function countRowsWith(client: pg.Client): Promise<{ tables: Record<string, number>; lastMigration: string | null }> {
  {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('public', 'graphile_worker') AND NOT c.relispartition ORDER BY 1`,
    );
    const tables: Record<string, number> = {};
    for (const { name } of rows) {
      const counted = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${name}`);
      tables[name] = Number(counted.rows[0]!.n);
    }
    const migration = rows.some((r) => r.name === "public._prisma_migrations")
      ? (await client.query<{ m: string | null }>(`SELECT max(migration_name) AS m FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)).rows[0]!.m
      : null;
    return { tables, lastMigration: migration };
  }
}
