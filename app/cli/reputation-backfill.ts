/**
 * `npm run reputation:backfill [-- --batch-size 1000] [--workers 2] [--json]`: builds the reputation
 * ledger from votes and accepted answers (appending only what is missing, and a reversal for what
 * the state no longer calls for: safe to run again), sets cached reputations to their ledger and
 * re-grants badges and expert marks from history. It stages everything in one statement, then works
 * through the members in batches (one transaction each, several at once); event handlers keep running
 * meanwhile. Uses DATABASE_URL (docs/decisions/017, 018, 040).
 *
 * Progress goes to stderr: a line per step and a bar for the batches (redrawn in place on a terminal,
 * one line per 10 % otherwise); the totals go to stdout, and with --json a last line of JSON (entries,
 * members, badges, passes and milliseconds) for scripts such as the benchmark.
 */
import { parseArgs } from "node:util";
import { BACKFILL_BATCH_MEMBERS, BACKFILL_WORKERS, BackfillAlreadyRunning, backfillReputation, type BackfillProgress } from "~/modules/reputation/maintenance.server.ts";
import { disconnectDb } from "~/utils/db.server.ts";
import { duration, fmt, Progress } from "./progress.ts";

const USAGE = `Usage: DATABASE_URL=postgresql://… npm run reputation:backfill [-- --batch-size <members per batch, default ${BACKFILL_BATCH_MEMBERS}>] [--workers <batches at once, default ${BACKFILL_WORKERS}>] [--json]`;

let options: { "batch-size": string; workers: string; json: boolean; help: boolean };
try {
  options = parseArgs({
    options: {
      "batch-size": { type: "string", default: String(BACKFILL_BATCH_MEMBERS) },
      workers: { type: "string", default: String(BACKFILL_WORKERS) },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
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
const batchMembers = Number(options["batch-size"]);
const workers = Number(options.workers);
if (!Number.isInteger(batchMembers) || batchMembers < 1 || batchMembers > 1_000_000) {
  console.error(`--batch-size must be a whole number of members from 1 to 1,000,000.\n${USAGE}`);
  process.exit(2);
}
if (!Number.isInteger(workers) || workers < 1 || workers > 8) {
  console.error(`--workers must be a whole number from 1 to 8.\n${USAGE}`);
  process.exit(2);
}

const started = Date.now();
const step = (message: string) => process.stderr.write(`${message} (${duration(Date.now() - started)})\n`);
let bar: Progress | undefined;

function onProgress(p: BackfillProgress) {
  switch (p.step) {
    case "staged":
      step(`Votes and acceptances read: ${fmt(p.entries)} ledger entries to append, in ${fmt(p.batches)} ${p.batches === 1 ? "batch" : "batches"} of members`);
      bar = undefined;
      return;
    case "batch":
      bar ??= new Progress("members", p.total);
      if (p.done < p.total) bar.update(p.done, `entries ${fmt(p.entries)}/${fmt(p.entriesTotal)}`);
      else bar.finish(`entries ${fmt(p.entries)}/${fmt(p.entriesTotal)}`);
      return;
    case "retry":
      step(`${fmt(p.stale)} batches had new ledger entries from event handlers meanwhile: reading again (pass ${p.pass + 1})`);
  }
}

let exitCode = 1;
try {
  step(`Backfilling the reputation ledger (${fmt(batchMembers)} members per batch, ${workers} at once)`);
  const r = await backfillReputation({ batchMembers, workers, onProgress });
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`ledger: ${fmt(r.entries)} entries appended (read ${seconds(r.ms.stage)}, batches ${seconds(r.ms.apply)}${r.passes > 1 ? `, ${r.passes} passes` : ""})`);
  console.log(`cached reputation: ${fmt(r.cached)} members updated`);
  console.log(`badges: ${fmt(r.granted)} granted, ${fmt(r.revoked)} revoked; expert marks refreshed`);
  const totalMs = Date.now() - started;
  console.log(`Backfill done in ${seconds(totalMs)}.`);
  if (options.json) console.log(JSON.stringify({ ...r, totalMs }));
  exitCode = 0;
} catch (error) {
  if (error instanceof BackfillAlreadyRunning) console.error(`\n${error.message} Nothing was written.`);
  else console.error("\nreputation:backfill failed (batches already committed stay: run it again to finish):", error);
} finally {
  await disconnectDb();
}
process.exit(exitCode);
