/**
 * `npm run backup [-- --out <directory>]`: a consistent copy of everything Threadwise stores, with a progress
 * display: the database (pg_dump, custom format, one snapshot), the uploads (read through the storage
 * interface, so any store works) and manifest.json (row counts per table, upload count and bytes, the newest
 * migration), which `npm run restore` checks its result against. Uses DATABASE_DIRECT_URL, else DATABASE_URL
 * (pg_dump needs a session, not a transaction pooler); the upload store (UPLOAD_STORAGE) as the app does. Default directory:
 * backups/threadwise-<UTC time>/. Exit 0 when done, 1 on any failure (the partial directory is removed).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { getStorage } from "~/utils/storage.server.ts";
import pg from "pg";
import { DUMP_FILE, MANIFEST_FILE, UPLOADS_DIR, countRowsWith, libpqArgs, pgProgram, runPgProgram, type Manifest } from "./backup-files.ts";
import { duration, fmt, Progress } from "./progress.ts";

const { values } = parseArgs({ options: { out: { type: "string" } } });
const url = process.env.DATABASE_DIRECT_URL || process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL (or DATABASE_DIRECT_URL) to the PostgreSQL database to back up.");
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
const dir = path.resolve(values.out ?? path.join("backups", `threadwise-${stamp}`));
if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
  console.error(`${dir} exists and is not empty: choose another --out.`);
  process.exit(2);
}

const started = Date.now();
let exitCode = 0;
try {
  // A backup holds password hashes and live session ids: readable by its owner only.
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  fs.mkdirSync(path.join(dir, UPLOADS_DIR), { recursive: true, mode: 0o700 });
  // One snapshot for the counts and the dump (pg_dump --snapshot): the manifest describes exactly what
  // the dump holds, however busy the site is meanwhile.
  const snapshot = new pg.Client({ connectionString: url, application_name: "threadwise-backup" });
  await snapshot.connect();
  await snapshot.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const { rows } = await snapshot.query<{ id: string }>("SELECT pg_export_snapshot() AS id");
  const { tables, lastMigration } = await countRowsWith(snapshot);
  const names = Object.keys(tables);
  console.log(`Backing up ${names.length} tables (${fmt(Object.values(tables).reduce((a, b) => a + b, 0))} rows) to ${dir}`);
  const dump = new Progress("database", names.length);
  let dumped = 0;
  const { args, env } = libpqArgs(url);
  try {
    await runPgProgram(pgProgram("pg_dump"), ["--format=custom", "--no-owner", "--no-privileges", `--snapshot=${rows[0]!.id}`, "--file", path.join(dir, DUMP_FILE), ...args], env, (table) =>
      dump.update(++dumped, table),
    );
  } finally {
    await snapshot.end();
  }
  dump.finish(`${fmt(fs.statSync(path.join(dir, DUMP_FILE)).size)} bytes`);

  const storage = getStorage();
  const keys: string[] = [];
  for await (const key of storage.list()) keys.push(key);
  const files = new Progress("uploads", keys.length);
  let bytes = 0;
  for (const [i, key] of keys.entries()) {
    const blob = await storage.get(key);
    if (!blob) continue; // deleted meanwhile
    fs.writeFileSync(path.join(dir, UPLOADS_DIR, key), blob.bytes, { mode: 0o600 });
    bytes += blob.bytes.length;
    files.update(i + 1, `${fmt(bytes)} bytes`);
  }
  files.finish(`${fmt(bytes)} bytes`);

  const manifest: Manifest = { format: 1, createdAt: new Date().toISOString(), lastMigration, tables, uploads: { count: keys.length, bytes } };
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(path.join(dir, DUMP_FILE), 0o600);
  console.log(`Backup complete in ${duration(Date.now() - started)}: ${dir}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  fs.rmSync(dir, { recursive: true, force: true });
  exitCode = 1;
}
process.exit(exitCode);
