import type { Server } from "node:http";
import type express from "express";

/**
 * How an app server leaves a load balancer without failing a request (docs/decisions/062-operations-and-scale-out.md):
 * 1. drain: `/readyz` answers 503 and every response sent from then on says `Connection: close` (also those of
 *    requests that came before), for `drainMs` (longer than nginx's upstream `keepalive_timeout`), so the
 *    balancer stops choosing this server and drops its idle keep-alive connections to it (a request that
 *    nginx sends on a connection we close under it would fail; one on a closed listener is retried elsewhere);
 * 2. shed: reads (GET, HEAD) are answered 503 with `Connection: close`, which nginx passes to the other
 *    server without the reader seeing it and which makes nginx skip this one for its `fail_timeout`; writes
 *    are still served (nginx never resends a POST). Once no request has come for `quietMs` (or after
 *    `shedMs` at most), nothing is on its way here: without this, the requests nginx had just connected
 *    (in the kernel's accept queue, or accepted and not yet read) were reset by the close, and a POST among
 *    them failed with 502;
 * 3. the listener closes (new connections are refused: nginx passes them to the other server) and idle
 *    connections are closed;
 * 4. in-flight requests finish (event streams do not count: they end and the browser reconnects elsewhere);
 * 5. the job runner stops after the jobs it is running finish; the database connections close;
 * all of 3-5 within `deadlineMs`, else the process exits 1 with what was left logged.
 */
export type Lifecycle = {
  draining: boolean;
  /** Step 2: reads are answered 503 so that the balancer takes this server out before the listener closes. */
  shedding: boolean;
  /** When the last request arrived (ms since the epoch): the shed ends after a quiet moment. */
  lastArrival: number;
};

export function createLifecycle(): Lifecycle {
  return { draining: false, shedding: false, lastArrival: 0 };
}

/** Methods nginx passes to the next server after a 503 (it never resends POST, PATCH or LOCK). */
const RETRIED_METHODS = new Set(["GET", "HEAD"]);

/** Counts requests in flight (not event streams, which never end by themselves) and closes connections while draining. */
export function trackRequests(lifecycle: Lifecycle) {
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (inFlight > 0) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };
  const middleware: express.RequestHandler = (req, res, next) => {
    lifecycle.lastArrival = Date.now();
    let counted = true;
    inFlight += 1;
    const finish = () => {
      if (!counted) return;
      counted = false;
      inFlight -= 1;
      settle();
    };
    // An event stream (the bell's live count) is open for as long as the page: it is not "in flight".
    const writeHead = res.writeHead;
    res.writeHead = function (this: express.Response, ...args: Parameters<typeof writeHead>) {
      // Decided when the response starts, not when the request came: a request that began before SIGTERM and
      // answers during the drain must not leave nginx a keep-alive connection that the drain's end closes under it.
      if (lifecycle.draining && !this.headersSent) this.setHeader("Connection", "close");
      if (String(this.getHeader("content-type") ?? "").startsWith("text/event-stream")) finish();
      return writeHead.apply(this, args);
    } as typeof writeHead;
    res.on("finish", finish);
    res.on("close", finish);
    if (lifecycle.shedding && RETRIED_METHODS.has(req.method)) {
      res.setHeader("Retry-After", "1");
      // /readyz keeps saying what it said during the drain.
      if (req.path === "/readyz") res.status(503).json({ status: "draining" });
      else res.status(503).type("text/plain").send("This server is shutting down: please try again.\n");
      return;
    }
    next();
  };
  return {
    middleware,
    get inFlight() {
      return inFlight;
    },
    /** Resolves when no request is in flight. */
    idle(): Promise<void> {
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

export type ShutdownPlan = {
  lifecycle: Lifecycle;
  server: Server;
  requests: ReturnType<typeof trackRequests>;
  drainMs: number;
  /** The shed ends once no request has come for this long… */
  quietMs?: number;
  /** …or after this long at most. */
  shedMs?: number;
  deadlineMs: number;
  /** Stops jobs, closes database connections: after the last request. */
  stopWork: () => Promise<void>;
  log: (line: string) => void;
};

/** Runs the shutdown; resolves with the exit code (0: everything finished within the deadline). */
export async function shutDownGracefully(plan: ShutdownPlan): Promise<number> {
  const { lifecycle, server, requests, log } = plan;
  lifecycle.draining = true;
  log(`Draining for ${plan.drainMs} ms (/readyz answers 503)…`);
  await new Promise((r) => setTimeout(r, plan.drainMs));
  if (plan.drainMs > 0) {
    lifecycle.shedding = true;
    const quietMs = plan.quietMs ?? 250;
    const shedEnd = Date.now() + (plan.shedMs ?? 2_000);
    const shedStart = Date.now();
    // A connection accepted and not yet read is an arrival too.
    const arrived = () => (lifecycle.lastArrival = Date.now());
    server.on("connection", arrived);
    for (;;) {
      await new Promise((r) => setTimeout(r, 25));
      // Timers run before I/O in a turn of the event loop: let connections and requests that came while this
      // process was busy be seen before deciding it was quiet.
      await new Promise((r) => setImmediate(r));
      if (Date.now() >= shedEnd || Date.now() - lifecycle.lastArrival >= quietMs) break;
    }
    server.off("connection", arrived);
    log(`Reads answered 503 for ${Date.now() - shedStart} ms (${Date.now() - lifecycle.lastArrival} ms without a request); closing the listener…`);
  }

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"deadline">((resolve) => {
    timer = setTimeout(() => resolve("deadline"), plan.deadlineMs);
  });
  const finished = (async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await requests.idle();
    // Only event streams can be left: they end now, and their browsers reconnect to another server.
    server.closeAllConnections();
    await closed;
    log("No request in flight; stopping jobs…");
    await plan.stopWork();
    return "done" as const;
  })();
  const outcome = await Promise.race([finished, deadline]);
  clearTimeout(timer);
  if (outcome === "deadline") {
    log(`Shutdown deadline of ${plan.deadlineMs} ms passed with ${requests.inFlight} request(s) in flight; exiting anyway.`);
    server.closeAllConnections();
    return 1;
  }
  return 0;
}
