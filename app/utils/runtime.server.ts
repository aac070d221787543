import type { ServerBuild } from "@remix-run/node";
import { tasks } from "~/modules/jobs/tasks.server.ts";
import { stopLiveCounts } from "~/modules/notifications/live-counts.server.ts";
import { announceCacheChange, cacheSignals, onCacheChange, stopCacheSignals } from "./cache-signals.server.ts";
import { disconnectDb, getPool, isDatabaseBusy } from "./db.server.ts";
import { unavailable, failureResponse } from "./http.server.ts";
import { getMetrics } from "./metrics.server.ts";
import { jobsHealth, migrateJobs, queueStats, startJobs, stopJobs, type JobsHealth } from "./jobs.server.ts";

export type Readiness = {
  ready: boolean;
  body: {
    status: "ready" | "database unreachable" | "jobs not running";
    jobs: Pick<JobsHealth, "state" | "restarts"> & { due: number | null; oldestDueSeconds: number | null };
  };
};

/** Seconds a client is asked to wait when the database was too busy for its request. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/**
 * What the HTTP server (app/server/) needs from the bundled app, exported through entry.server so
 * the process holds one database pool and one copy of every module.
 */
export const runtime = {
  migrateJobs: () => migrateJobs(),
  async startJobs() {
    await startJobs(tasks);
  },
  stopJobs,
  /**
   * For /readyz: ready when the database answers and, if this process runs jobs, its job runner is
   * running (not waiting to restart after a failure). The queue's depth and age are reported either way
   * (docs/decisions/034-job-worker-lifecycle.md). No error text: /readyz is public.
   */
  async readiness(): Promise<Readiness> {
    const { state, restarts } = jobsHealth();
    let queue: { due: number | null; oldestDueSeconds: number | null } = { due: null, oldestDueSeconds: null };
    let database = true;
    try {
      queue = await queueStats();
    } catch {
      database = await getPool()
        .query("SELECT 1")
        .then(() => true)
        .catch(() => false);
    }
    const jobsDown = state === "restarting" || state === "stopped";
    const status = !database ? "database unreachable" : jobsDown ? "jobs not running" : "ready";
    return { ready: status === "ready", body: { status, jobs: { state, restarts, ...queue } } };
  },
  /**
   * The build with every route's loader and action answering 503 with Retry-After when the database is
   * too busy for them (isDatabaseBusy), instead of the 500 of an unexpected error. The status comes from
   * the one mapping of failures to HTTP (app/utils/http.server.ts); docs/decisions/035-busy-database.md.
   */
  answerBusyWith503(build: ServerBuild): ServerBuild {
    const routes: ServerBuild["routes"] = {};
    for (const [id, route] of Object.entries(build.routes)) {
      const { loader, action } = route.module;
      routes[id] = { ...route, module: { ...route.module, ...(loader ? { loader: guard(loader) } : {}), ...(action ? { action: guard(action) } : {}) } };
    }
    return { ...build, routes };
  },
  /** This process's Prometheus metrics (ADR 066): the HTTP server observes requests and serves /metrics. */
  metrics: getMetrics,
  /** Cross-server cache invalidation (ADR 060): the HTTP server's page cache subscribes and announces here. */
  onCacheChange,
  announceCacheChange,
  /** Starts this process's LISTEN for cache changes (at server start; resolves once it works or cannot). */
  startCacheSignals: () => cacheSignals().start(),
  /** Closes the LISTEN connections (notifications, caches), then the pool. */
  async disconnectDb() {
    await stopCacheSignals();
    await stopLiveCounts();
    await disconnectDb();
  },
};

function guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => Promise<Awaited<R>> {
  return async (...args: A): Promise<Awaited<R>> => {
    try {
      return await fn(...args);
    } catch (error) {
      if (isDatabaseBusy(error)) throw failureResponse(unavailable("messages.form.busy", BUSY_RETRY_AFTER_SECONDS));
      throw error;
    }
  };
}

export type Runtime = typeof runtime;
