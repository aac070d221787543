import { Logger, run, runMigrations, type Runner, type TaskList } from "graphile-worker";
import type { Pool } from "pg";
import { Prisma } from "~/generated/prisma/client.ts";
import { getPool, type prisma, type Tx } from "./db.server.ts";
import { logger } from "./logger.server.ts";

/**
 * The job queue: graphile-worker, in PostgreSQL (docs/decisions/007-jobs.md). Jobs are enqueued in
 * the same transaction as the change that causes them, so a rolled-back change never sends mail and a
 * committed one always does (at least once: every task is idempotent).
 */
export type JobName = "send-email" | "handle-event" | "cleanup" | "refresh-recurring-topics" | "search-rebuild" | "send-notification-email" | "notification-digests";

/** Enqueues a job inside a Prisma transaction (or outside one with `prisma`). */
export async function enqueue(db: Tx | typeof prisma, name: JobName, payload: unknown, opts: { maxAttempts?: number } = {}) {
  await db.$executeRaw`SELECT ${addJob(name, Prisma.sql`${JSON.stringify(payload)}::json`, opts)}`;
}

/** The add_job call as SQL, for a statement that enqueues as part of a larger one (a LATERAL or a CTE). */
export function addJob(name: JobName, payload: Prisma.Sql, opts: { maxAttempts?: number } = {}): Prisma.Sql {
  return Prisma.sql`graphile_worker.add_job(${name}::text, ${payload}, max_attempts => ${opts.maxAttempts ?? 10}::int)`;
}

/** Creates or upgrades the queue's own schema (graphile_worker); safe to run on every start. */
export async function migrateJobs(pool: Pool = getPool()): Promise<void> {
  await runMigrations({ pgPool: pool, logger: quietLogger() });
}

/** Notification digests (ADR 041): daily at 07:00 UTC, weekly on Mondays at 07:00 UTC. */
const NOTIFICATION_DIGEST_CRONTAB = '0 7 * * * notification-digests ?id=daily-digest&max=3 {"period":"daily"}\n0 7 * * 1 notification-digests ?id=weekly-digest&max=3 {"period":"weekly"}';

let runner: Runner | undefined;

/** Starts processing jobs in this process (the default), or in `npm run worker`; tasks: app/modules/jobs/tasks.server.ts. */
export async function startJobs(
  taskList: TaskList,
  options: { concurrency?: number; pollInterval?: number } = {},
): Promise<Runner> {
  if (runner) return runner;
  runner = await run({
    pgPool: getPool(),
    taskList,
    concurrency: options.concurrency ?? 2,
    pollInterval: options.pollInterval ?? 1000,
    noHandleSignals: true,
    crontab: "0 * * * * cleanup ?max=1\n20 * * * * refresh-recurring-topics ?max=1\n*/10 * * * * search-rebuild ?max=1\n" + NOTIFICATION_DIGEST_CRONTAB,
    logger: quietLogger(),
  });
  return runner;
}

export async function stopJobs(): Promise<void> {
  const r = runner;
  runner = undefined;
  if (r) await r.stop();
}

/** graphile-worker's log lines, routed into pino. */
function quietLogger() {
  return new Logger(() => (level, message, meta) => {
    const method = level === "error" ? "error" : level === "warning" ? "warn" : "debug";
    logger[method]({ meta }, `jobs: ${message}`);
  });
}
