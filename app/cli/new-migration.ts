/**
 * `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with
 * the SQL that takes the last migration's schema to prisma/schema.prisma.
 *
 * Prisma's `migrate dev` and any diff that reads a live database fail with the JS engine on our
 * machines ("Column type 'char'", docs/decisions/001-database-tooling.md). A diff between two schema
 * files needs no database, so every migration folder keeps a copy of the schema it produced
 * (schema.prisma beside migration.sql) and the next migration is the diff from that copy.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "~/server/embedded-postgres.ts";

const MIGRATIONS = "prisma/migrations";
const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name>   (lower-case letters, digits and _)");
  process.exit(2);
}

const folders = fs
  .readdirSync(MIGRATIONS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const previous = folders.at(-1);
const from = previous ? ["--from-schema-datamodel", path.join(MIGRATIONS, previous, "schema.prisma")] : ["--from-empty"];
if (previous && !fs.existsSync(from[1]!)) {
  console.error(`${from[1]} is missing: every migration folder must keep the schema it produced.`);
  process.exit(1);
}

// The CLI opens a connection even for a file-to-file diff; any reachable database will do.
const scratch = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
  const child = spawn(
    path.resolve("node_modules/.bin/prisma"),
    ["migrate", "diff", "--config", "prisma/prisma.config.ts", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? scratch!.url, PRISMA_HIDE_UPDATE_MESSAGE: "1" } },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  child.on("exit", (status) => resolve({ status, stdout, stderr }));
});
await scratch?.stop();
if (result.status !== 0) {
  console.error(result.stderr);
  process.exit(1);
}
const sql = result.stdout.trim();
if (!sql || /This is an empty migration/.test(sql)) {
  console.log("prisma/schema.prisma matches the last migration: nothing to write.");
} else {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(MIGRATIONS, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
  fs.copyFileSync("prisma/schema.prisma", path.join(dir, "schema.prisma"));
  console.log(`Wrote ${dir}/migration.sql (and the schema it produces). Review it, then commit both.`);
}
