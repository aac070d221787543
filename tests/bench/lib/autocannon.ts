/**
 * Runs one workload with autocannon against the local server: a warm-up whose figures are thrown
 * away, then the measured run. Every run is bounded in time and only ever targets 127.0.0.1.
 */
import autocannon from "autocannon";

/** Figures a workload should meet; any may be left out. Shown beside the measured figures. */
export type Targets = {
  /** At least this many requests per second (average). */
  requestsPerSecond?: number;
  /** Median latency at most this many milliseconds. */
  p50Ms?: number;
  /** 99th percentile latency at most this many milliseconds. */
  p99Ms?: number;
};

export type Workload = {
  /** Shown in the table, e.g. "Home page". */
  name: string;
  /** Request path on the server, e.g. "/login". */
  path: string;
  /** Shown in the table instead of `path` (for long cursors or encoded slugs). */
  displayPath?: string;
  connections: number;
  /** Length of the measured run. */
  durationSeconds: number;
  /** Unmeasured run with the same settings before the measured one (default 3 s). */
  warmupSeconds?: number;
  /**
   * Measure exactly this many requests instead of durationSeconds (which then only bounds the run), and warm
   * up with warmupAmount requests: for endpoints with a budget, such as the API's requests per key a minute.
   */
  amount?: number;
  warmupAmount?: number;
  /** Defaults to GET. */
  method?: "GET" | "POST";
  /** Sent with every request on top of DEFAULT_HEADERS. */
  headers?: Record<string, string>;
  body?: string;
  targets?: Targets;
};

export type WorkloadResult = {
  workload: Workload;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
};

/** What a browser asking for a page sends that changes the server's work (HTML, compressed). */
export const DEFAULT_HEADERS: Record<string, string> = {
  accept: "text/html,application/xhtml+xml",
  "accept-encoding": "gzip, deflate, br",
  "accept-language": "en",
};
const DEFAULT_WARMUP_SECONDS = 3;
const REQUEST_TIMEOUT_SECONDS = 10;

export async function runWorkload(origin: string, workload: Workload): Promise<WorkloadResult> {
  const url = new URL(workload.path, origin);
  if (url.hostname !== "127.0.0.1") throw new Error(`Benchmarks only target 127.0.0.1, not ${url.hostname}`);
  const options = (durationSeconds: number, amount?: number): autocannon.Options => ({
    url: url.toString(),
    method: workload.method ?? "GET",
    headers: { ...DEFAULT_HEADERS, ...workload.headers },
    body: workload.body,
    connections: workload.connections,
    ...(amount ? { amount } : { duration: durationSeconds }),
    timeout: REQUEST_TIMEOUT_SECONDS,
  });

  const warmupSeconds = workload.warmupSeconds ?? DEFAULT_WARMUP_SECONDS;
  if (workload.warmupAmount) await autocannon(options(warmupSeconds, workload.warmupAmount));
  else if (warmupSeconds > 0) await autocannon(options(warmupSeconds));
  const result = await autocannon(options(workload.durationSeconds, workload.amount));
  return {
    workload,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Seconds a list of workloads takes, warm-ups included. */
export function plannedSeconds(workloads: readonly Workload[]): number {
  return workloads.reduce((sum, w) => sum + (w.warmupSeconds ?? DEFAULT_WARMUP_SECONDS) + w.durationSeconds, 0);
}
