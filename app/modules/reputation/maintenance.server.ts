import { Prisma } from "~/generated/prisma/client.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { reconcileBadges } from "./badges.server.ts";
import { appendStagedEntries, findReputationDrift, resetCachedReputation, stageLedgerBackfill } from "./ledger.server.ts";

const LONG = { timeout: 60 * 60_000, maxWait: 60_000 };

/** Ledger entries appended per statement (each batch is one run of the rollup trigger). */
export const BACKFILL_BATCH_SIZE = 100_000;

/** What the backfill reports as it goes (the CLI draws a progress bar from `ledger`). */
export type BackfillProgress =
  | { step: "staged"; entries: number; ms: number }
  | { step: "ledger"; done: number; total: number }
  | { step: "reputation"; members: number; ms: number }
  | { step: "badges"; granted: number; revoked: number; ms: number };

export type BackfillReport = { entries: number; cached: number; granted: number; revoked: number; ms: { stage: number; ledger: number; reputation: number; badges: number } };

/**
 * The statements of a bulk run are few and large: a bigger sort and hash memory keeps the staging
 * sort (about 230 MB at 1 M votes) off disk, and JIT compilation costs seconds and gains nothing on
 * them (both for this transaction only).
 */
async function bulkSettings(tx: Tx) {
  await tx.$executeRaw`SET LOCAL work_mem = '256MB'`;
  await tx.$executeRaw`SET LOCAL jit = off`;
}

/**
 * Rebuilds the ledger and the badges from the current state (votes, accepted answers, posts), in one
 * transaction (docs/decisions/017, 040):
 * 1. locks the ledger against concurrent handlers (they wait and then find nothing left to do),
 * 2. stages what every vote and acceptance calls for and the ledger lacks, with the handlers' own
 *    CTEs, in a temporary table (`stageLedgerBackfill`),
 * 3. appends it in batches of `batchSize` entries (the rollup trigger adds each batch to the
 *    leaderboards), reporting progress after each,
 * 4. sets every cached reputation to 1 + its ledger sum, then grants and revokes badges and refreshes
 *    the expert marks (`reconcileBadges` for everyone).
 * It only ever INSERTs ledger entries (a reversal for an entry the state no longer calls for): no
 * ledger row is updated or deleted, and a second run appends nothing. A failure rolls everything back.
 */
export async function backfillReputation(options: { batchSize?: number; onProgress?: (progress: BackfillProgress) => void } = {}): Promise<BackfillReport> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? BACKFILL_BATCH_SIZE));
  const report = options.onProgress ?? (() => {});
  return prisma.$transaction(async (tx) => {
    await bulkSettings(tx);
    await tx.$executeRaw`LOCK TABLE reputation_entries IN SHARE ROW EXCLUSIVE MODE`;
    let t = Date.now();
    const entries = await stageLedgerBackfill(tx);
    const stage = Date.now() - t;
    report({ step: "staged", entries, ms: stage });

    t = Date.now();
    report({ step: "ledger", done: 0, total: entries });
    for (let done = 0; done < entries; ) {
      const upTo = Math.min(entries, done + batchSize);
      await appendStagedEntries(tx, done, upTo);
      done = upTo;
      report({ step: "ledger", done, total: entries });
    }
    const ledger = Date.now() - t;

    t = Date.now();
    const cached = await resetCachedReputation(tx);
    const reputation = Date.now() - t;
    report({ step: "reputation", members: cached, ms: reputation });

    t = Date.now();
    const badges = await reconcileBadges(tx, null, null);
    report({ step: "badges", ...badges, ms: Date.now() - t });
    return { entries, cached, ...badges, ms: { stage, ledger, reputation, badges: Date.now() - t } };
  }, LONG);
}

class DryRun extends Error {}

export type VerifyReport = {
  drift: Awaited<ReturnType<typeof findReputationDrift>>;
  /** Leaderboard rows (period, category, member) whose totals differ from the ledger's. */
  rollupDrift: number;
  ledgerBehindState: number;
  badgesBehindRules: { granted: number; revoked: number };
};

/**
 * Checks, without changing anything: every cached reputation equals 1 + its ledger sum; every
 * leaderboard total (each period, each category and all categories) equals the sum of the ledger
 * entries it stands for, recomputed with the trigger's own `reputation_rollup_keys`; the ledger
 * holds what the votes and acceptances call for; the badges match their rules. The last two run
 * the backfill's statements in a transaction that is rolled back, so they count exactly what a
 * backfill would change.
 */
export async function verifyReputation(): Promise<VerifyReport> {
  const drift = await findReputationDrift(prisma);
  let rollupDrift = 0;
  let ledgerBehindState = 0;
  let badgesBehindRules = { granted: 0, revoked: 0 };
  try {
    await prisma.$transaction(async (tx) => {
      await bulkSettings(tx);
      const [rollup] = await tx.$queryRaw<{ n: number }[]>(Prisma.sql`
        WITH expected AS (
          SELECT k.period, k.category_id, e.user_id, SUM(e.points)::int AS points, SUM(reputation_accepted_delta(e.reason, o.reason))::int AS accepted
          FROM reputation_entries e
          LEFT JOIN reputation_entries o ON o.id = e.reverses_id
          CROSS JOIN LATERAL reputation_rollup_keys(e.category_id, e.created_at) AS k
          GROUP BY k.period, k.category_id, e.user_id
        )
        SELECT COUNT(*)::int AS n
        FROM expected x FULL JOIN reputation_period_totals r USING (period, category_id, user_id)
        WHERE x.points IS DISTINCT FROM r.points OR x.accepted IS DISTINCT FROM r.accepted`);
      rollupDrift = rollup?.n ?? 0;
      ledgerBehindState = await stageLedgerBackfill(tx);
      badgesBehindRules = await reconcileBadges(tx, null, null);
      throw new DryRun();
    }, LONG);
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  return { drift, rollupDrift, ledgerBehindState, badgesBehindRules };
}
