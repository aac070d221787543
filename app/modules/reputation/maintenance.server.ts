import pg from "pg";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { directDatabaseUrl } from "~/utils/env.server.ts";
import { reconcileBadges, refreshExpertCategories } from "./badges.server.ts";
import {
  appendStagedEntries,
  BACKFILL_STAGING,
  findReputationDrift,
  lockStagedMembers,
  resetCachedReputation,
  stageLedgerBackfill,
  type MemberRange,
} from "./ledger.server.ts";

const LONG = { timeout: 60 * 60_000, maxWait: 60_000 };

/** Members per batch: each batch is one transaction (lock, append, cached reputation, badges). */
export const BACKFILL_BATCH_MEMBERS = 1_000;
/** Batches run at once, each on its own connection: the appends are index-bound, so a second core helps. */
export const BACKFILL_WORKERS = 2;
/** Passes before giving up when handlers keep changing the members being backfilled. */
const MAX_PASSES = 3;
/** pg_try_advisory_lock key: one backfill at a time (they share the staging table). */
const BACKFILL_LOCK = 0x7e9b_0017;

/** What the backfill reports as it goes; it waits for a callback that returns a promise. */
export type BackfillProgress =
  | { step: "staged"; pass: number; entries: number; batches: number; ms: number }
  | { step: "batch"; pass: number; done: number; total: number; entries: number; entriesTotal: number }
  | { step: "retry"; pass: number; stale: number };

export type BackfillReport = {
  entries: number;
  cached: number;
  granted: number;
  revoked: number;
  passes: number;
  ms: { stage: number; apply: number };
};

export class BackfillAlreadyRunning extends Error {
  constructor() {
    super("Another reputation backfill is running on this database: wait for it to finish.");
  }
}

/**
 * The statements of a bulk run are few and large: a bigger sort and hash memory keeps the staging
 * sort mostly off disk, and JIT compilation costs seconds and gains nothing on them (for this
 * transaction only).
 */
async function bulkSettings(tx: Tx) {
  await tx.$executeRaw`SET LOCAL work_mem = '256MB'`;
  await tx.$executeRaw`SET LOCAL jit = off`;
}

/** The members in batches of `size`, as ranges of their ids in bytewise order (the staging table's order). */
async function memberBatches(size: number): Promise<MemberRange[]> {
  const starts = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id COLLATE "C") AS i FROM users) m
    WHERE (i - 1) % ${size} = 0 ORDER BY id COLLATE "C"`;
  // The first batch starts at '' so that no member is left out (ids sort after the empty string).
  return starts.map((s, i) => ({ from: i === 0 ? "" : s.id, to: starts[i + 1]?.id ?? null }));
}

type BatchResult = { stale: boolean; entries: number; cached: number; granted: number; revoked: number };

/**
 * One batch of members, in one transaction: lock them (as the handlers do), check that nothing was
 * appended for them since the staging read the ledger, append their staged entries, set their
 * cached reputation to 1 + their ledger, grant and revoke their badges and refresh their expert
 * marks. A stale batch changes nothing and is left for the next pass.
 */
async function backfillBatch(range: MemberRange): Promise<BatchResult> {
  return prisma.$transaction(async (tx) => {
    await bulkSettings(tx);
    const { ids, current } = await lockStagedMembers(tx, range);
    if (!current) return { stale: true, entries: 0, cached: 0, granted: 0, revoked: 0 };
    const entries = await appendStagedEntries(tx, range);
    if (ids.length === 0) return { stale: false, entries, cached: 0, granted: 0, revoked: 0 };
    const cached = await resetCachedReputation(tx, ids);
    const badges = await reconcileBadges(tx, ids, null);
    await refreshExpertCategories(tx, ids);
    return { stale: false, entries, cached, ...badges };
  }, LONG);
}

async function dropStaging() {
  await prisma.$executeRaw`DROP TABLE IF EXISTS ${Prisma.raw(BACKFILL_STAGING)}`;
}

/**
 * Rebuilds the ledger, cached reputations, badges and expert marks from the current state (votes,
 * accepted answers, posts): `npm run reputation:backfill` (docs/decisions/017, 018, 040).
 * 1. Stages, in one statement with the handlers' own CTEs, what every vote and acceptance calls for
 *    and the ledger lacks, with the points each applies after the floor, in an unlogged table.
 * 2. Works through the members in batches of `batchMembers`, `workers` batches at a time, each in its
 *    own transaction (`backfillBatch`): the ledger is never locked as a whole, so event handlers keep
 *    running; a handler touching a member of a batch waits for that batch, and a batch whose members
 *    got ledger entries after the staging is skipped.
 * 3. If any batch was skipped, runs again (at most three passes): the next staging sees those entries.
 * It only ever INSERTs ledger entries (a reversal for one the state no longer calls for): no ledger
 * row is updated or deleted, and a second run appends nothing. A failed batch rolls back alone; the
 * committed ones stay, and running the command again finishes the work.
 */
export async function backfillReputation(
  options: { batchMembers?: number; workers?: number; onProgress?: (progress: BackfillProgress) => void | Promise<void> } = {},
): Promise<BackfillReport> {
  const batchMembers = Math.max(1, Math.floor(options.batchMembers ?? BACKFILL_BATCH_MEMBERS));
  const workers = Math.max(1, Math.floor(options.workers ?? BACKFILL_WORKERS));
  const report = options.onProgress ?? (() => {});
  // The embedded database serves every connection from one backend, where a second advisory lock of the
  // same session is granted: a process refuses its own second backfill itself.
  if (backfillInProcess) throw new BackfillAlreadyRunning();
  backfillInProcess = true;
  try {
    return await backfillUnderLock(batchMembers, workers, report);
  } finally {
    backfillInProcess = false;
  }
}

let backfillInProcess = false;

async function backfillUnderLock(batchMembers: number, workers: number, report: (progress: BackfillProgress) => void | Promise<void>): Promise<BackfillReport> {
  // A session advisory lock needs a session of its own: through a transaction pooler (PgBouncer, ADR 061)
  // the lock and its unlock could land on different server connections.
  const lock = new pg.Client({ connectionString: directDatabaseUrl(), application_name: "threadwise-backfill-lock" });
  await lock.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [BACKFILL_LOCK]);
    if (!rows[0]?.locked) throw new BackfillAlreadyRunning();
    const total: BackfillReport = { entries: 0, cached: 0, granted: 0, revoked: 0, passes: 0, ms: { stage: 0, apply: 0 } };
    try {
      for (let pass = 1; pass <= MAX_PASSES; pass++) {
        total.passes = pass;
        let t = Date.now();
        await dropStaging();
        const staged = await prisma.$transaction(async (tx) => {
          await bulkSettings(tx);
          return stageLedgerBackfill(tx, "shared");
        }, LONG);
        const batches = await memberBatches(batchMembers);
        total.ms.stage += Date.now() - t;
        await report({ step: "staged", pass, entries: staged, batches: batches.length, ms: Date.now() - t });

        t = Date.now();
        let next = 0;
        let done = 0;
        let appended = 0;
        let stale = 0;
        await report({ step: "batch", pass, done, total: batches.length, entries: 0, entriesTotal: staged });
        let failed = false;
        const worker = async () => {
          while (!failed && next < batches.length) {
            const result = await backfillBatch(batches[next++]!).catch((error: unknown) => {
              failed = true;
              throw error;
            });
            done += 1;
            if (result.stale) stale += 1;
            appended += result.entries;
            total.entries += result.entries;
            total.cached += result.cached;
            total.granted += result.granted;
            total.revoked += result.revoked;
            await report({ step: "batch", pass, done, total: batches.length, entries: appended, entriesTotal: staged });
          }
        };
        // Every worker finishes its batch before the staging table is dropped; the first failure is thrown.
        const outcomes = await Promise.allSettled(Array.from({ length: Math.min(workers, batches.length) }, worker));
        const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
        if (failure) throw failure.reason;
        total.ms.apply += Date.now() - t;
        if (stale === 0) return total;
        if (pass < MAX_PASSES) await report({ step: "retry", pass, stale });
        else throw new Error(`${stale} batches of members kept changing during ${MAX_PASSES} passes (busy event handlers?): run the backfill again.`);
      }
      return total;
    } finally {
      await dropStaging();
      await lock.query("SELECT pg_advisory_unlock($1)", [BACKFILL_LOCK]);
    }
  } finally {
    await lock.end();
  }
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
      ledgerBehindState = await stageLedgerBackfill(tx, "temporary");
      badgesBehindRules = await reconcileBadges(tx, null, null);
      throw new DryRun();
    }, LONG);
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  return { drift, rollupDrift, ledgerBehindState, badgesBehindRules };
}
