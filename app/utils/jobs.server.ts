import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import os from "node:os";
import { Logger, run, runMigrations, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import pg from "pg";
import { Prisma } from "~/generated/prisma/client.ts";
import { getPool, isEmbeddedDatabase, type prisma, type Tx } from "./db.server.ts";
import { directDatabaseUrl } from "./env.server.ts";
import { logger } from "./logger.server.ts";

/**
 * The job queue: graphile-worker, in PostgreSQL (docs/decisions/007-jobs.md). Jobs are enqueued in
 * the same transaction as the change that causes them, so a rolled-back change never sends mail and a
 * committed one always does (at least once: every task is idempotent).
 */
export type JobName = "send-email" | "handle-event" | "cleanup" | "refresh-recurring-topics" | "search-rebuild" | "send-notification-email" | "notification-digests" | "support-followups" | "journey-retention" | "journey-rollups" | "deliver-webhook" | "lift-ended-suspensions";

/** Enqueues a job inside a Prisma transaction (or outside one with `prisma`). */
export async function enqueue(db: Tx | typeof prisma, name: JobName, payload: unknown, opts: { maxAttempts?: number } = {}) {
  await db.$executeRaw`SELECT ${addJob(name, Prisma.sql`${JSON.stringify(payload)}::json`, opts)}`;
}

/** The add_job call as SQL, for a statement that enqueues as part of a larger one (a LATERAL or a CTE). */
export function addJob(name: JobName, payload: Prisma.Sql, opts: { maxAttempts?: number } = {}): Prisma.Sql {
  return Prisma.sql`graphile_worker.add_job(${name}::text, ${payload}, max_attempts => ${opts.maxAttempts ?? 10}::int)`;
}

/**
 * Creates or upgrades the queue's own schema (graphile_worker); safe to run on every start. On a session
 * connection of its own (DATABASE_DIRECT_URL: a migration is no work for a transaction pooler, ADR 061).
 */
export async function migrateJobs(pool?: pg.Pool): Promise<void> {
  const own = pool ? undefined : new pg.Pool({ connectionString: directDatabaseUrl(), max: 1 });
  try {
    await runMigrations({ pgPool: pool ?? own!, logger: quietLogger() });
  } finally {
    await own?.end();
  }
}

/**
 * How the job runner of this process is doing, for /readyz. `off`: this process runs no jobs (HTTP
 * tests, JOBS_IN_PROCESS=false). `restarting`: a worker stopped with an error and the runner starts
 * again after a back-off. `stopped`: shut down.
 */
export type JobsState = "off" | "starting" | "running" | "restarting" | "stopped";
export type JobsHealth = { state: JobsState; restarts: number; since: string };

/** Every live worker refreshes its row this often; a row older than DEAD_AFTER belongs to a dead process. */
const HEARTBEAT_MS = 10_000;
const DEAD_AFTER_SECONDS = 30;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;
/** A runner that ran this long before failing starts again after the first back-off, not a longer one. */
const STABLE_MS = 5 * 60_000;
/** Notification digests (ADR 041): daily at 07:00 UTC, weekly on Mondays at 07:00 UTC. */
const NOTIFICATION_DIGEST_CRONTAB = '0 7 * * * notification-digests ?id=daily-digest&max=3 {"period":"daily"}\n0 7 * * 1 notification-digests ?id=weekly-digest&max=3 {"period":"weekly"}';
/**
 * Issue 20: tiered routing and "Did this fix it?" every ten minutes; the journey's 90-day retention daily;
 * the dashboard's journey cells of the last days every ten minutes (ADR 077).
 */
const SUPPORT_CRONTAB = "\n*/10 * * * * support-followups ?max=1\n40 3 * * * journey-retention ?max=1\n5,15,25,35,45,55 * * * * journey-rollups ?max=1";
/** Issue 19 (ADR 068): suspensions that ended are written down as lifted, with their audit rows, every minute. */
const MODERATION_CRONTAB = "\n* * * * * lift-ended-suspensions ?max=1";
export const CRONTAB = "0 * * * * cleanup ?max=1\n20 * * * * refresh-recurring-topics ?max=1\n*/10 * * * * search-rebuild ?max=1\n" + NOTIFICATION_DIGEST_CRONTAB + SUPPORT_CRONTAB + MODERATION_CRONTAB;

// graphile-config knows plugin names from its global namespace, which only augmentation extends.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace GraphileConfig {
    interface Plugins {
      ThreadwiseJobWorkers: true;
    }
  }
}

/**
 * graphile-worker supervised (docs/decisions/034-job-worker-lifecycle.md):
 * - its own small pg pool, so the queue's bookkeeping never waits behind requests for the app's pool,
 *   and without named prepared statements on the embedded database, where every connection shares one
 *   backend and a second connection preparing `get_job` or `complete_job` fails with 42P05;
 * - every worker is registered in `job_workers` before it takes its first job and refreshed every
 *   10 s; on start and at every refresh, the jobs locked by workers whose rows went stale (a process
 *   killed with -9, a lost machine) are released with graphile_worker.force_unlock_workers, so they run
 *   again within a minute instead of after graphile-worker's 4 hours. On the embedded database, which
 *   lives inside this process, every lock found at start is a dead process's;
 * - a worker that stops with an error (graphile-worker 0.16 then runs on with one worker fewer, and
 *   with none once all have died) makes the whole runner stop and start again after a back-off of
 *   1 s doubling up to 60 s, with the dead worker's jobs released; its state is reported by /readyz.
 */
class JobRunner {
  readonly id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;
  state: JobsState = "starting";
  restarts = 0;
  since = new Date();
  private readonly pool: pg.Pool;
  private runner: Runner | undefined;
  private embedded = false;
  private readonly live = new Set<string>();
  /** Workers of this process that stopped with an error: their locks are released before the next start. */
  private readonly dead = new Set<string>();
  private failures = 0;
  private runningSince = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private restarting = false;
  private stopping = false;

  constructor(
    private readonly taskList: TaskList,
    private readonly options: { concurrency: number; pollInterval: number },
  ) {
    // LISTEN holds one connection; each worker needs one at a time for getJob and completeJob. Session
    // connections (DATABASE_DIRECT_URL): graphile-worker LISTENs and names its prepared statements, which
    // a transaction-pooling PgBouncer cannot carry (ADR 061).
    this.pool = new pg.Pool({ connectionString: directDatabaseUrl(), application_name: "threadwise-jobs", max: options.concurrency + 1, idleTimeoutMillis: 30_000 });
    // A connection the database closes must never crash the process: the pool reports idle ones, and
    // every client gets a listener of its own, since graphile-worker removes its listeners while it
    // stops (after a failure, a connection can die in the middle of that).
    this.pool.on("error", (error) => logger.warn({ reason: error.message }, "jobs: an idle queue connection was closed; the pool will open a new one"));
    this.pool.on("connect", (client) => client.on("error", (error) => logger.debug({ reason: error.message }, "jobs: a queue connection was closed")));
  }

  async start(): Promise<void> {
    this.embedded = await isEmbeddedDatabase(this.pool);
    // Jobs run even when this fails (a worker started before the migration that adds job_workers): the
    // heartbeat tries again every 10 s.
    await this.releaseDeadWorkers(this.embedded).catch((error: unknown) => logger.error({ err: error }, "jobs: could not release the jobs of dead workers"));
    await this.launch();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    this.heartbeatTimer.unref();
  }

  private async launch(): Promise<void> {
    const events: WorkerEvents = new EventEmitter();
    events.on("worker:create", ({ worker }) => this.live.add(worker.workerId));
    events.on("worker:stop", ({ worker, error }) => {
      this.live.delete(worker.workerId);
      if (error) {
        this.dead.add(worker.workerId);
        this.fail(error, worker.workerId);
      }
    });
    const runner = await run({
      pgPool: this.pool,
      taskList: this.taskList,
      concurrency: this.options.concurrency,
      pollInterval: this.options.pollInterval,
      noHandleSignals: true,
      noPreparedStatements: this.embedded,
      crontab: CRONTAB,
      logger: quietLogger(),
      events,
      preset: {
        plugins: [
          {
            name: "ThreadwiseJobWorkers",
            version: "1.0.0",
            // Awaited by graphile-worker before the worker asks for its first job, so a worker holds
            // no lock before its row exists.
            worker: { hooks: { startWorker: (_ctx, { worker }) => this.register([worker.workerId]) } },
          },
        ],
      },
    });
    this.runner = runner;
    this.runningSince = Date.now();
    this.state = "running";
    this.since = new Date();
    runner.promise.then(
      () => {
        if (this.runner === runner && !this.stopping && !this.restarting) this.fail(new Error("the job runner stopped by itself"));
      },
      (error: unknown) => {
        if (this.runner === runner) this.fail(error);
      },
    );
  }

  /** A worker died or the runner failed: stop what is left, wait, release the dead workers' jobs, start again. */
  private fail(error: unknown, workerId?: string): void {
    if (this.stopping || this.restarting) return;
    this.restarting = true;
    if (Date.now() - this.runningSince >= STABLE_MS) this.failures = 0;
    // Until a runner starts again, further failures (of the restart itself) count from now.
    this.runningSince = Date.now();
    this.failures += 1;
    const delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.failures - 1));
    this.state = "restarting";
    this.since = new Date();
    logger.error({ err: error, workerId, restartInMs: delay, restarts: this.restarts }, "jobs: a worker stopped with an error; restarting the job runner");
    const runner = this.runner;
    this.runner = undefined;
    void (async () => {
      await stopRunner(runner);
      if (!this.stopping) this.restartTimer = setTimeout(() => void this.relaunch(), delay);
    })();
  }

  private async relaunch(): Promise<void> {
    this.restartTimer = undefined;
    if (this.stopping) return;
    try {
      await this.releaseOwnDeadWorkers();
      this.restarting = false;
      this.restarts += 1;
      await this.launch();
      logger.warn({ restarts: this.restarts }, "jobs: the job runner started again");
    } catch (error) {
      this.restarting = false;
      this.fail(error);
    }
  }

  /** Upserts the rows of live workers: their registration and their heartbeat are the same statement. */
  private async register(workerIds: string[]): Promise<void> {
    if (workerIds.length === 0) return;
    try {
      await this.pool.query(
        `INSERT INTO job_workers (worker_id, runner_id) SELECT unnest($1::text[]), $2
         ON CONFLICT (worker_id) DO UPDATE SET seen_at = now(), runner_id = EXCLUDED.runner_id`,
        [workerIds, this.id],
      );
    } catch (error) {
      // The next heartbeat registers it; meanwhile the worker runs as it would have before.
      logger.warn({ err: error, workerIds }, "jobs: could not record the job workers as alive");
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.stopping) return;
    await this.register([...this.live]);
    await this.releaseDeadWorkers(false).catch((error: unknown) => logger.warn({ err: error }, "jobs: could not look for the jobs of dead workers"));
  }

  /**
   * Releases the jobs locked by workers of other processes that stopped refreshing their rows, or, with
   * `everyLock` (start on the embedded database), every lock: that database lives in this process, so
   * whoever holds a lock in it died with the previous process.
   */
  private async releaseDeadWorkers(everyLock: boolean): Promise<void> {
    const { rows } = await this.pool.query<{ workers: number; jobs: number }>(
      `WITH dead AS (
         DELETE FROM job_workers
         WHERE runner_id <> $1 AND (seen_at < now() - make_interval(secs => $2) OR $3::boolean)
         RETURNING worker_id
       ), ids AS (
         SELECT coalesce(array_agg(id), '{}') AS ids FROM (
           SELECT worker_id AS id FROM dead
           UNION SELECT locked_by FROM graphile_worker.jobs WHERE $3::boolean AND locked_by IS NOT NULL
         ) w
       )
       SELECT cardinality(ids)::int AS workers,
              (SELECT count(*)::int FROM graphile_worker.jobs j WHERE j.locked_by = ANY(ids)) AS jobs,
              graphile_worker.force_unlock_workers(ids)
       FROM ids`,
      [this.id, DEAD_AFTER_SECONDS, everyLock],
    );
    const { workers = 0, jobs = 0 } = rows[0] ?? {};
    if (jobs > 0) logger.warn({ workers, jobs }, "jobs: released the jobs of workers that no longer run");
  }

  private async releaseOwnDeadWorkers(): Promise<void> {
    const ids = [...this.dead];
    if (ids.length === 0) return;
    await this.pool.query(`WITH gone AS (DELETE FROM job_workers WHERE worker_id = ANY($1::text[])) SELECT graphile_worker.force_unlock_workers($1::text[])`, [ids]);
    for (const id of ids) this.dead.delete(id);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.restartTimer);
    const runner = this.runner;
    this.runner = undefined;
    await stopRunner(runner);
    await this.pool.query("DELETE FROM job_workers WHERE runner_id = $1", [this.id]).catch(() => {});
    await this.pool.end().catch(() => {});
    this.state = "stopped";
    this.since = new Date();
  }

  health(): JobsHealth {
    return { state: this.state, restarts: this.restarts, since: this.since.toISOString() };
  }
}

/** Stops a runner; one that failed may have stopped itself already, which is no news. */
async function stopRunner(runner: Runner | undefined): Promise<void> {
  try {
    await runner?.stop();
  } catch (error) {
    if (!/already stopped/.test(String((error as Error)?.message))) logger.warn({ err: error }, "jobs: the runner did not stop cleanly");
  }
}

let current: JobRunner | undefined;

/**
 * Starts processing jobs in this process (the default), or in `npm run worker`; tasks:
 * app/modules/jobs/tasks.server.ts. Returns once the runner is up; it restarts itself after errors.
 */
export async function startJobs(taskList: TaskList, options: { concurrency?: number; pollInterval?: number } = {}): Promise<void> {
  if (current && current.state !== "stopped") return;
  const runner = new JobRunner(taskList, { concurrency: options.concurrency ?? 2, pollInterval: options.pollInterval ?? 1000 });
  current = runner;
  try {
    await runner.start();
  } catch (error) {
    current = undefined;
    await runner.stop();
    throw error;
  }
}

export async function stopJobs(): Promise<void> {
  const r = current;
  current = undefined;
  if (r) await r.stop();
}

/** The state of this process's job runner (`off` when it runs none). */
export function jobsHealth(): JobsHealth {
  return current?.health() ?? { state: "off", restarts: 0, since: new Date(0).toISOString() };
}

/**
 * The queue as every process sees it: jobs due now and not yet done (running or waiting), and how long
 * the oldest of them has been due. A growing age means no worker is taking jobs, whichever process
 * should.
 */
export async function queueStats(pool: pg.Pool = getPool()): Promise<{ due: number; oldestDueSeconds: number }> {
  const { rows } = await pool.query<{ due: number; oldest: number }>(
    `SELECT count(*)::int AS due, coalesce(floor(extract(epoch FROM now() - min(run_at))), 0)::int AS oldest
     FROM graphile_worker.jobs WHERE run_at <= now() AND attempts < max_attempts`,
  );
  return { due: rows[0]?.due ?? 0, oldestDueSeconds: rows[0]?.oldest ?? 0 };
}

/**
 * graphile-worker's log lines, routed into pino, with the error and the job's id and task from their
 * metadata (the rest holds whole pg clients and job payloads).
 */
function quietLogger() {
  return new Logger(() => (level, message, meta) => {
    const method = level === "error" ? "error" : level === "warning" ? "warn" : "debug";
    const { error, job } = (meta ?? {}) as { error?: unknown; job?: { id?: string; task_identifier?: string } };
    logger[method]({ err: error instanceof Error ? error : undefined, jobId: job?.id, task: job?.task_identifier }, `jobs: ${message}`);
  });
}
