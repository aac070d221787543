/**
 * `npm run search:reindex [-- --backfill] [--shard-size 12500]`
 *
 * Builds a new base search index version from search_documents and stores it in PostgreSQL, where
 * every app server picks it up within ten seconds (ADR 019). With --backfill (or when
 * search_documents is empty while threads exist, as after `npm run seed:large`), first rewrites the
 * search document of every thread and article from the tables. Progress goes to stderr: a bar
 * redrawn in place on a terminal, a line per step otherwise.
 */
import { parseArgs } from "node:util";
import { buildSearchIndex } from "~/modules/search/build-search-index.server.ts";
import { backfillSearchDocuments } from "~/modules/search/search-documents.server.ts";
import { disconnectDb, prisma } from "~/utils/db.server.ts";

const { values } = parseArgs({ options: { backfill: { type: "boolean", default: false }, "shard-size": { type: "string" } } });

const tty = process.stderr.isTTY === true;
let lastLine = 0;
function bar(label: string, done: number, total: number, extra = "") {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const line = `${label.padEnd(10)} [${"#".repeat(Math.round(ratio * 30)).padEnd(30)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${done}/${total} ${extra}`;
  if (tty) process.stderr.write(`\r${line}`);
  else if (Math.floor(ratio * 10) !== lastLine || done === total) {
    lastLine = Math.floor(ratio * 10);
    process.stderr.write(`${line}\n`);
  }
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
  const started = Date.now();
  const needsBackfill = values.backfill || ((await prisma.searchDocument.count()) === 0 && (await prisma.thread.count()) > 0);
  if (needsBackfill) {
    lastLine = -1;
    const n = await backfillSearchDocuments((done, total) => bar("documents", done, total));
    if (tty) process.stderr.write("\n");
    process.stdout.write(`search documents written: ${n} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  lastLine = -1;
  const result = await buildSearchIndex({
    shardSize: values["shard-size"] ? Number(values["shard-size"]) : undefined,
    onProgress: (p) => bar("index", p.done, p.total, `shards ${p.shards}  ${(p.bytes / 1048576).toFixed(1)} MiB`),
  });
  if (tty) process.stderr.write("\n");
  process.stdout.write(
    `search index version ${result.versionId}: ${result.docCount} documents in ${result.shardCount} shards, ` +
      `${(result.totalBytes / 1048576).toFixed(1)} MiB stored, built in ${(result.buildMs / 1000).toFixed(1)} s\n`,
  );
}

main()
  .catch((error) => {
    process.stderr.write(`\n${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
