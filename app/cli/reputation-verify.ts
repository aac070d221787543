/**
 * `npm run reputation:verify`: recomputes every member's reputation from the ledger and reports any
 * difference from the cached value, and checks every leaderboard total, the ledger against the
 * votes and acceptances, and the badges against their rules. Changes nothing; exits 1 on any
 * difference (fix with `npm run reputation:backfill`). Uses DATABASE_URL.
 */
import { verifyReputation } from "~/modules/reputation/maintenance.server.ts";
import { disconnectDb } from "~/utils/db.server.ts";

if (!process.env.DATABASE_URL) {
  console.error("Set DATABASE_URL to the PostgreSQL database to verify.");
  process.exit(2);
}
let exitCode = 0;
try {
  const report = await verifyReputation();
  for (const d of report.drift.slice(0, 50)) console.log(`@${d.handle}: cached ${d.cached}, ledger ${d.ledger}`);
  console.log(`Members whose cached reputation differs from the ledger: ${report.drift.length}`);
  console.log(`Leaderboard totals (period, category, member) that differ from the ledger: ${report.rollupDrift}`);
  console.log(`Ledger entries a backfill would append (ledger behind votes and acceptances): ${report.ledgerBehindState}`);
  console.log(`Badges a backfill would grant / revoke: ${report.badgesBehindRules.granted} / ${report.badgesBehindRules.revoked}`);
  const clean = report.drift.length === 0 && report.rollupDrift === 0 && report.ledgerBehindState === 0 && report.badgesBehindRules.granted + report.badgesBehindRules.revoked === 0;
  console.log(clean ? "OK: every reputation equals its ledger." : "Differences found: run npm run reputation:backfill.");
  exitCode = clean ? 0 : 1;
} finally {
  await disconnectDb();
}
process.exit(exitCode);
