/**
 * `npm run restore -- <backup directory> [--force]`: puts a backup made by `npm run backup` back, with a
 * progress display: the database with pg_restore in ONE transaction (a failure leaves the target as it
 * was), then the uploads through the storage interface, then checks every table's row count and every
 * upload against the backup's manifest. Into DATABASE_DIRECT_URL, else DATABASE_URL, which must be empty
 * (a new database) unless --force, which replaces what is there (pg_restore --clean). Refuses a backup
 * whose migrations are newer than this code's. Stop the app servers first. Exit 0 when the check passes.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { getStorage, isStorageKey } from "~/utils/storage.server.ts";
import { DUMP_FILE, MANIFEST_FILE, UPLOADS_DIR, countRows, libpqArgs, pgProgram, runPgProgram, type Manifest } from "./backup-files.ts";
import { duration, fmt, Progress } from "./progress.ts";

const { values, positionals } = parseArgs({ options: { force: { type: "boolean", default: false } }, allowPositionals: true });
const url = process.env.DATABASE_DIRECT_URL || process.env.DATABASE_URL;
const dir = positionals[0] ? path.resolve(positionals[0]) : undefined;
if (!url || !dir || positionals.length !== 1) {
  console.error("Usage: DATABASE_URL=… npm run restore -- <backup directory> [--force]");
  process.exit(2);
}
const TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", gif: "image/gif", webp: "image/webp" };

async function refuse(message: string): Promise<never> {
  console.error(message);
  process.exit(2);
}

const started = Date.now();
let manifest: Manifest;
try {
  manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8")) as Manifest;
  if (manifest.format !== 1 || !fs.existsSync(path.join(dir, DUMP_FILE))) throw new Error("unknown format");
} catch {
  await refuse(`${dir} is not a Threadwise backup (no ${MANIFEST_FILE} and ${DUMP_FILE}).`);
}
const newestHere = fs
  .readdirSync(path.resolve("prisma/migrations"), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()
  .at(-1);
if (manifest!.lastMigration && newestHere && manifest!.lastMigration > newestHere) {
  await refuse(`This backup comes from a newer Threadwise (migration ${manifest!.lastMigration}; this code knows up to ${newestHere}): upgrade first.`);
}
const target = new pg.Client({ connectionString: url });
await target.connect();
const { rows } = await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname IN ('public', 'graphile_worker')`);
await target.end();
if (rows[0]!.n > 0 && !values.force) {
  await refuse(`The target database already has ${rows[0]!.n} tables. Restore into a new, empty database, or pass --force to replace its contents.`);
}

let exitCode = 0;
try {
  const tables = Object.keys(manifest!.tables);
  console.log(`Restoring ${tables.length} tables and ${fmt(manifest!.uploads.count)} uploads from ${dir} (made ${manifest!.createdAt})`);
  const progress = new Progress("database", tables.length);
  let done = 0;
  const { args, env } = libpqArgs(url);
  await runPgProgram(
    pgProgram("pg_restore"),
    ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", ...(values.force ? ["--clean", "--if-exists"] : []), ...args, path.join(dir, DUMP_FILE)],
    env,
    (table) => progress.update(++done, table),
  );
  progress.finish();

  const storage = getStorage();
  const files = fs.existsSync(path.join(dir, UPLOADS_DIR)) ? fs.readdirSync(path.join(dir, UPLOADS_DIR)).filter(isStorageKey) : [];
  const uploads = new Progress("uploads", files.length);
  for (const [i, key] of files.entries()) {
    await storage.put(key, fs.readFileSync(path.join(dir, UPLOADS_DIR, key)), TYPES[key.split(".").pop()!]!);
    uploads.update(i + 1, key);
  }
  uploads.finish();

  // The check: every table holds the rows the backup counted, every upload reads back.
  const restored = await countRows(url);
  const differences = tables.filter((t) => restored.tables[t] !== manifest!.tables[t]).map((t) => `${t}: backup ${manifest!.tables[t]}, restored ${restored.tables[t] ?? "missing"}`);
  let unreadable = 0;
  for (const key of files) if (!(await storage.get(key))) unreadable += 1;
  if (files.length !== manifest!.uploads.count) differences.push(`uploads: backup ${manifest!.uploads.count}, files ${files.length}`);
  if (unreadable > 0) differences.push(`${unreadable} uploads do not read back`);
  if (differences.length > 0) {
    console.error(`Restored, but it differs from the backup:\n  ${differences.join("\n  ")}`);
    exitCode = 1;
  } else {
    console.log(`Restore complete in ${duration(Date.now() - started)}: ${tables.length} tables match their row counts, ${files.length} uploads read back.`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
}
process.exit(exitCode);
