import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { reconcileBadges } from "./badges.server.ts";
import { findReputationDrift, reconcileLedger, resetCachedReputation } from "./ledger.server.ts";

const LONG = { timeout: 60 * 60_000, maxWait: 60_000 };

/**
 * Rebuilds the ledger and the badges from the current state (votes, accepted answers, posts), in
 * one transaction: appends only what is missing and reverses what the state no longer calls for
 * (never duplicating: a second run appends nothing), sets every cached reputation to 1 + its ledger,
 * then grants and revokes badges. The ledger table is locked against concurrent handlers meanwhile.
 */
export async function backfillReputation(log: (line: string) => void = () => {}) {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`LOCK TABLE reputation_entries IN SHARE ROW EXCLUSIVE MODE`;
    let t = Date.now();
    const entries = await reconcileLedger(tx, { kind: "all" }, null);
    log(`ledger: ${entries} entries appended (${Date.now() - t} ms)`);
    t = Date.now();
    const cached = await resetCachedReputation(tx);
    log(`cached reputation: ${cached} members updated (${Date.now() - t} ms)`);
    t = Date.now();
    const badges = await reconcileBadges(tx, null, null);
    log(`badges: ${badges.granted} granted, ${badges.revoked} revoked (${Date.now() - t} ms)`);
    return { entries, cached, ...badges };
  }, LONG);
}

class DryRun extends Error {}

export type VerifyReport = {
  drift: Awaited<ReturnType<typeof findReputationDrift>>;
  rollupDrift: number;
  ledgerBehindState: number;
  badgesBehindRules: { granted: number; revoked: number };
};

/**
 * Checks, without changing anything: every cached reputation equals 1 + its ledger sum; every
 * member's all-time leaderboard total equals their ledger sum; the ledger holds what the votes and
 * acceptances call for; the badges match their rules. The last two run the backfill's statements
 * in a transaction that is rolled back, so they count exactly what a backfill would change.
 */
export async function verifyReputation(): Promise<VerifyReport> {
  const drift = await findReputationDrift(prisma);
  const [rollup] = await prisma.$queryRaw<{ n: number }[]>(Prisma.sql`
    SELECT COUNT(*)::int AS n FROM (
      SELECT user_id, SUM(points) AS total FROM reputation_entries GROUP BY user_id
    ) l FULL JOIN (SELECT user_id, points FROM reputation_period_totals WHERE period = 'all' AND category_id = 0) r USING (user_id)
    WHERE COALESCE(l.total, 0) <> COALESCE(r.points, 0)`);
  let ledgerBehindState = 0;
  let badgesBehindRules = { granted: 0, revoked: 0 };
  try {
    await prisma.$transaction(async (tx) => {
      ledgerBehindState = await reconcileLedger(tx, { kind: "all" }, null);
      badgesBehindRules = await reconcileBadges(tx, null, null);
      throw new DryRun();
    }, LONG);
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  return { drift, rollupDrift: rollup?.n ?? 0, ledgerBehindState, badgesBehindRules };
}
