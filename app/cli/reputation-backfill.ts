/**
 * `npm run reputation:backfill [-- --batch-size 100000] [--json]`: builds the reputation ledger from
 * votes and accepted answers (appending only what is missing, and a reversal for what the state no
 * longer calls for: safe to run again), sets every cached reputation to its ledger and re-grants badges
 * from history, in one transaction. Uses DATABASE_URL (docs/decisions/017, 018, 040).
 *
 * Progress goes to stderr: a line per step and a bar for the ledger batches (redrawn in place on a
 * terminal, one line per 10 % otherwise); the totals go to stdout, and with --json a last line of JSON
 * (entries, members, badges and each step's milliseconds) for scripts such as the benchmark.
 */
import { parseArgs } from "node:util";
import { BACKFILL_BATCH_SIZE, backfillReputation, type BackfillProgress } from "~/modules/reputation/maintenance.server.ts";
import { disconnectDb } from "~/utils/db.server.ts";
import { duration, fmt, Progress } from "./progress.ts";

const USAGE = "Usage: DATABASE_URL=postgresql://… npm run reputation:backfill [-- --batch-size <entries per statement, default 100000>] [--json]";

let options: { "batch-size": string; json: boolean; help: boolean };
try {
  options = parseArgs({
    options: { "batch-size": { type: "string", default: String(BACKFILL_BATCH_SIZE) }, json: { type: "boolean", default: false }, help: { type: "boolean", default: false } },
  }).values as typeof options;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL to the PostgreSQL database to backfill. Nothing was written.");
  process.exit(2);
}
const batchSize = Number(options["batch-size"]);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000_000) {
  console.error(`--batch-size must be a whole number from 1 to 10,000,000.\n${USAGE}`);
  process.exit(2);
}

const started = Date.now();
const step = (message: string) => process.stderr.write(`${message} (${duration(Date.now() - started)})\n`);
let bar: Progress | undefined;

function onProgress(p: BackfillProgress) {
  switch (p.step) {
    case "staged":
      step(`Votes and acceptances read: ${fmt(p.entries)} ledger entries to append`);
      return;
    case "ledger":
      bar ??= new Progress("ledger", p.total);
      if (p.done < p.total) bar.update(p.done);
      else bar.finish();
      return;
    case "reputation":
      step(`Cached reputation set to the ledger for ${fmt(p.members)} members`);
      return;
    case "badges":
      step(`Badges: ${fmt(p.granted)} granted, ${fmt(p.revoked)} revoked; expert marks refreshed`);
  }
}

let exitCode = 1;
try {
  step("Backfilling the reputation ledger (one transaction; event handlers wait for it)");
  const r = await backfillReputation({ batchSize, onProgress });
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`ledger: ${fmt(r.entries)} entries appended (read ${seconds(r.ms.stage)}, appended ${seconds(r.ms.ledger)})`);
  console.log(`cached reputation: ${fmt(r.cached)} members updated (${seconds(r.ms.reputation)})`);
  console.log(`badges: ${fmt(r.granted)} granted, ${fmt(r.revoked)} revoked (${seconds(r.ms.badges)})`);
  const totalMs = Date.now() - started;
  console.log(`Backfill done in ${seconds(totalMs)}.`);
  if (options.json) console.log(JSON.stringify({ ...r, totalMs }));
  exitCode = 0;
} catch (error) {
  console.error("\nreputation:backfill failed, nothing was changed (the transaction was rolled back):", error);
} finally {
  await disconnectDb();
}
process.exit(exitCode);
