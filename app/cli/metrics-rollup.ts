/**
 * `npm run metrics:rollup -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--all]` rebuilds the dashboard's
 * rollups (question_stats, then daily_rollups for every UTC day of the range) from the raw tables
 * (ADR 023). Idempotent: run it as often as wanted, also while the app runs. Defaults: yesterday and
 * today (a nightly cron closes the small window described in the ADR); --all starts at the first
 * question, event or search. Uses DATABASE_URL; without it, the embedded database in .data/.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "~/server/embedded-postgres.ts";
import { migrateDatabase } from "~/server/migrate.ts";

const { values } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" }, all: { type: "boolean", default: false } } });
const day = /^\d{4}-\d{2}-\d{2}$/;
if ((values.from && !day.test(values.from)) || (values.to && !day.test(values.to))) {
  console.error("Usage: npm run metrics:rollup -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--all]");
  process.exit(2);
}

const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: path.resolve(process.env.DATA_DIR ?? ".data", "pg") });
if (embedded) process.env.DATABASE_URL = embedded.url;
let exitCode = 0;
try {
  await migrateDatabase(process.env.DATABASE_URL!, (line) => console.log(line));
  const { addDays, rebuildRollups, utcDay } = await import("~/modules/metrics/rollups.server.ts");
  const { prisma, disconnectDb } = await import("~/utils/db.server.ts");
  const to = values.to ?? utcDay(new Date());
  let from = values.from ?? addDays(to, -1);
  if (values.all) {
    const [first] = await prisma.$queryRaw<{ day: string | null }[]>`
      SELECT (LEAST((SELECT min(created_at) FROM threads), (SELECT min(occurred_at) FROM domain_events), (SELECT min(created_at) FROM search_queries)) AT TIME ZONE 'UTC')::date::text AS day`;
    from = first?.day ?? to;
  }
  if (to < from) {
    console.error("--to must be on or after --from");
    exitCode = 2;
  } else {
    const started = Date.now();
    const result = await rebuildRollups(from, to, { onChunk: (a, b) => console.log(`  ${a} … ${b}`) });
    console.log(`Rebuilt ${result.days} day(s) from ${from} to ${to}; ${result.questionStats} question_stats row(s) changed; ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
  // Sends the "dashboard changed" NOTIFY still pending, so running app servers drop their copies.
  const { stopCacheSignals } = await import("~/utils/cache-signals.server.ts");
  await stopCacheSignals();
  await disconnectDb();
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await embedded?.stop();
}
process.exit(exitCode);
