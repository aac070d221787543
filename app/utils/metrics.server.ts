import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { getPool } from "./db.server.ts";

/**
 * Prometheus metrics of this process (docs/decisions/066-metrics-and-s3-storage.md), served at /metrics
 * behind METRICS_TOKEN by the HTTP server (app/server/metrics-endpoint.ts). One registry per process, kept
 * on globalThis so the server build and the HTTP layer share it. Per request the cost is one histogram
 * observation; database figures (pool, queue, search index) are read when Prometheus scrapes, with one
 * query. Labels are bounded: a Remix route id (never a URL), a method from a fixed list, a status code.
 */
function createMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ app: "threadwise" });
  collectDefaultMetrics({ register: registry, prefix: "threadwise_" });

  const requests = new Histogram({
    name: "threadwise_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by Remix route id (or a fixed name for what is answered before Remix), method and status.",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const pageCache = new Counter({
    name: "threadwise_page_cache_lookups_total",
    help: "Lookups in the anonymous page cache (app/server/anonymous-page-cache.ts), by result (hit or miss).",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const mails = new Counter({
    name: "threadwise_mails_total",
    help: "E-mails this process tried to send (app/utils/mail.server.ts), by result (sent or failed) and transport (smtp or file).",
    labelNames: ["result", "transport"] as const,
    registers: [registry],
  });
  for (const result of ["hit", "miss"]) pageCache.inc({ result }, 0);
  for (const result of ["sent", "failed"]) for (const transport of ["smtp", "file"]) mails.inc({ result, transport }, 0);

  new Gauge({
    name: "threadwise_db_pool_connections",
    help: "Connections of this process's PostgreSQL pool (pg.Pool): total open, idle, and requests waiting for one.",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const pool = getPool();
      this.set({ state: "total" }, pool.totalCount);
      this.set({ state: "idle" }, pool.idleCount);
      this.set({ state: "waiting" }, pool.waitingCount);
    },
  });
  const database = new DatabaseFigures();
  new Gauge({
    name: "threadwise_jobs",
    help: "Jobs in the graphile-worker queue (every process's): due (due now, not done), retrying (failed at least once, will retry), failed (out of attempts).",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const figures = await database.read();
      this.set({ state: "due" }, figures.due);
      this.set({ state: "retrying" }, figures.retrying);
      this.set({ state: "failed" }, figures.failed);
    },
  });
  new Gauge({
    name: "threadwise_jobs_oldest_due_seconds",
    help: "How long the oldest due job has waited (0: none waits). Growing: no worker takes jobs.",
    registers: [registry],
    async collect() {
      this.set((await database.read()).oldestDueSeconds);
    },
  });
  new Gauge({
    name: "threadwise_search_index_age_seconds",
    help: "Age of the newest ready search index version (-1: none built yet). Newer posts are searched through the delta until the next build.",
    registers: [registry],
    async collect() {
      this.set((await database.read()).searchIndexAgeSeconds);
    },
  });

  return {
    registry,
    /** One finished request (the route id or a fixed name; never a URL). */
    observeRequest(route: string, method: string, status: number, seconds: number) {
      requests.observe({ route, method: METHODS.has(method) ? method : "other", status: String(status) }, seconds);
    },
    countPageCache(hit: boolean) {
      pageCache.inc({ result: hit ? "hit" : "miss" });
    },
    countMail(result: "sent" | "failed", transport: "smtp" | "file") {
      mails.inc({ result, transport });
    },
    async exposition(): Promise<string> {
      database.forget();
      return registry.metrics();
    },
    contentType: registry.contentType,
  };
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The queue and the search index, read once per scrape (three gauges share the answer). */
class DatabaseFigures {
  private pending: Promise<{ due: number; retrying: number; failed: number; oldestDueSeconds: number; searchIndexAgeSeconds: number }> | undefined;
  forget() {
    this.pending = undefined;
  }
  read() {
    this.pending ??= getPool()
      .query<{ due: number; retrying: number; failed: number; oldest: number; index_age: number | null }>(
        `SELECT count(*) FILTER (WHERE run_at <= now() AND attempts < max_attempts)::int AS due,
                count(*) FILTER (WHERE last_error IS NOT NULL AND attempts < max_attempts)::int AS retrying,
                count(*) FILTER (WHERE attempts >= max_attempts)::int AS failed,
                coalesce(extract(epoch FROM now() - min(run_at) FILTER (WHERE run_at <= now() AND attempts < max_attempts)), 0)::float8 AS oldest,
                (SELECT extract(epoch FROM now() - created_at)::float8 FROM search_index_versions WHERE status = 'ready' ORDER BY id DESC LIMIT 1) AS index_age
         FROM graphile_worker.jobs`,
      )
      .then(({ rows: [row] }) => ({
        due: row?.due ?? 0,
        retrying: row?.retrying ?? 0,
        failed: row?.failed ?? 0,
        oldestDueSeconds: Math.floor(row?.oldest ?? 0),
        searchIndexAgeSeconds: row?.index_age == null ? -1 : Math.floor(row.index_age),
      }))
      // Database unreachable (or the queue's schema not made yet): the scrape still answers, with NaN,
      // and the pool gauges and counters beside it.
      .catch(() => ({ due: NaN, retrying: NaN, failed: NaN, oldestDueSeconds: NaN, searchIndexAgeSeconds: NaN }));
    return this.pending;
  }
}

declare global {
  var __threadwiseMetrics: ReturnType<typeof createMetrics> | undefined;
}

export function getMetrics() {
  return (globalThis.__threadwiseMetrics ??= createMetrics());
}

export type Metrics = ReturnType<typeof createMetrics>;
