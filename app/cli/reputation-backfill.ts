/**
 * `npm run reputation:backfill`: rebuilds the reputation ledger from votes and accepted answers and
 * re-grants badges from history (set-based SQL, never duplicating; safe to run again), then sets
 * every cached reputation to its ledger. Uses DATABASE_URL (docs/decisions/017, 018).
 */
import { backfillReputation } from "~/modules/reputation/maintenance.server.ts";
import { disconnectDb } from "~/utils/db.server.ts";

if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL to the PostgreSQL database to backfill.");
  process.exit(2);
}
const started = Date.now();
try {
  await backfillReputation((line) => console.log(line));
  console.log(`Backfill done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await disconnectDb();
}
