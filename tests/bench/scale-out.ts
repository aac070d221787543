/**
 * Section "scale-out" of `npm run bench` (issue 23): the thread page, anonymous and signed in, served by
 * one app server alone and by two behind nginx (deploy/nginx), both with DATABASE_URL through PgBouncer
 * (deploy/pgbouncer.ini) and the direct URL for jobs and LISTEN, on the large dataset of
 * BENCH_LARGE_DATABASE_URL (read only: page views are beacons, which autocannon does not send). Each row at
 * 64 client connections (3 s warm-up, then 10 s). Meanwhile the connections PostgreSQL holds for that
 * database are sampled every 250 ms: the peak must stay within the budget of ADR 061 (PgBouncer's
 * max_db_connections plus 5 direct connections per app server). Without the variable it is skipped.
 * On two cores the second server adds little throughput; the point is that nothing breaks and the
 * connection count stays bounded.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { NEW_ACCOUNT } from "~/modules/reputation/thresholds.ts";
import { startNginx } from "../support/nginx.ts";
import { startPgBouncer, type PgBouncer } from "../support/pgbouncer.ts";
import { DEFAULT_HEADERS, runWorkload, type Workload, type WorkloadResult } from "./lib/autocannon.ts";
import { onCleanup, type SectionContext, type SectionOutcome } from "./lib/section.ts";
import { startServer, waitUntilSearchIsWarm, type BenchServer } from "./lib/server.ts";
import { Visitor } from "./lib/visitor.ts";
import { SEED_PASSWORD, masked } from "./lib/large-dataset.ts";

const CONNECTIONS = 64;
/** Measured seconds per row (BENCH_SCALE_OUT_SECONDS, default 10; a smoke run can shorten it). */
const SECONDS = Number(process.env.BENCH_SCALE_OUT_SECONDS ?? 10);
const NGINX_PORT = Number(process.env.BENCH_NGINX_PORT ?? 8089);
const PGBOUNCER_PORT = Number(process.env.BENCH_PGBOUNCER_PORT ?? 6439);
const SEED_EMAIL_DOMAIN = "large.threadwise.test";
/** Direct connections per app server (ADR 061): graphile-worker 3, cache signals 1, live counts 1. */
const DIRECT_PER_SERVER = 5;

/** Samples the database's connection count every 250 ms until stopped; returns the peak. */
function sampleConnections(url: string): { stop: () => Promise<number> } {
  const client = new pg.Client({ connectionString: url, application_name: "threadwise-bench-sampler" });
  let peak = 0;
  let running = true;
  const done = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
      peak = Math.max(peak, rows[0]!.n);
      await new Promise((r) => setTimeout(r, 250));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await done;
      return peak;
    },
  };
}

export async function runScaleOutSection({ say }: SectionContext): Promise<SectionOutcome> {
  const url = process.env.BENCH_LARGE_DATABASE_URL;
  if (!url) return { skipped: "skipped: set BENCH_LARGE_DATABASE_URL to a database filled by npm run seed:large and npm run reputation:backfill" };
  const dbName = new URL(url).pathname.slice(1);
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  const thread = (await probe.query<{ id: string; slug: string }>("SELECT id::text, slug FROM threads WHERE answer_count = 10 AND deleted_at IS NULL AND hidden_at IS NULL ORDER BY id LIMIT 1")).rows[0];
  const member = (
    await probe.query<{ email: string }>(
      `SELECT email FROM users WHERE email_normalized LIKE $1 AND role = 'member' AND status = 'active' AND reputation >= $2 ORDER BY created_at, id LIMIT 1`,
      [`%@${SEED_EMAIL_DOMAIN}`, NEW_ACCOUNT.minReputation],
    )
  ).rows[0];
  const maxConnections = Number((await probe.query<{ v: string }>("SELECT current_setting('max_connections') AS v")).rows[0]!.v);
  await probe.end();
  if (!thread || !member) return { skipped: "skipped: BENCH_LARGE_DATABASE_URL does not look filled by npm run seed:large (no thread with 10 answers or no established member)" };
  const page = `/questions/${thread.id}/${encodeURIComponent(thread.slug)}`;

  const ini = fs.readFileSync(path.resolve(import.meta.dirname, "../../deploy/pgbouncer.ini"), "utf8");
  const poolLimit = Number(/^max_db_connections\s*=\s*(\d+)/m.exec(ini)?.[1] ?? 0);
  const budget = poolLimit + 2 * DIRECT_PER_SERVER;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-bench-scale-"));
  let bouncer: PgBouncer | undefined;
  const servers: BenchServer[] = [];
  let nginx: { stop: () => Promise<void> } | undefined;
  const removeCleanup = onCleanup(async () => {
    await nginx?.stop();
    for (const s of servers) await s.stop();
    await bouncer?.stop();
  });
  try {
    bouncer = await startPgBouncer(url, PGBOUNCER_PORT);
    const env = { DATABASE_DIRECT_URL: url, TRUST_PROXY: "loopback", PAGE_CACHE_SECONDS: "5" };
    servers.push(await startServer(bouncer.url(url), { env }));
    servers.push(await startServer(bouncer.url(url), { env }));
    // Each server loads its search index in the background after start: measured after that, as the qa section is.
    for (const s of servers) await waitUntilSearchIsWarm(s.origin);
    nginx = await startNginx(path.join(tmp, "nginx"), NGINX_PORT, servers.map((s) => Number(new URL(s.origin).port)));
    const balanced = `http://127.0.0.1:${NGINX_PORT}`;

    const results: WorkloadResult[] = [];
    const peaks: string[] = [];
    let over = false;
    const measure = async (label: string, origin: string, who: "anonymous" | "signed in") => {
      const headers = { ...DEFAULT_HEADERS };
      if (who === "signed in") {
        const reader = new Visitor(origin);
        await reader.signIn(member.email, process.env.BENCH_LARGE_PASSWORD ?? SEED_PASSWORD);
        Object.assign(headers, { cookie: reader.cookieHeader() });
      }
      const workload: Workload = { name: `Thread page (10 answers), ${who}, ${label}`, path: page, connections: CONNECTIONS, durationSeconds: SECONDS, warmupSeconds: Math.min(3, SECONDS), headers };
      process.stdout.write(`  ${workload.name} at ${CONNECTIONS} connections… `);
      const sampler = sampleConnections(url);
      const result = await runWorkload(origin, workload);
      const peak = await sampler.stop();
      over ||= peak > budget;
      peaks.push(`| ${workload.name} | ${peak} | ${budget} |`);
      say(`${result.requestsPerSecond.toFixed(1)} req/s, p99 ${result.p99Ms} ms, ${result.requests} requests, ${result.non2xx + result.errors} not 2xx, ${result.timeouts} timeouts; PostgreSQL connections peak ${peak} (budget ${budget})`);
      results.push(result);
    };
    for (const who of ["anonymous", "signed in"] as const) {
      await measure("one server alone", servers[0]!.origin, who);
      await measure("two servers through nginx", balanced, who);
    }
    const loads = os.loadavg()[0]!.toFixed(2);
    return {
      report: {
        id: "scale-out",
        title: "Two app servers behind nginx and PgBouncer (issue 23)",
        results,
        database: `PostgreSQL at ${new URL(url).host}, database \`${dbName}\` (kept, not changed), through PgBouncer (deploy/pgbouncer.ini)`,
        commands: [`BENCH_LARGE_DATABASE_URL=${masked(url)} BENCH_SECTIONS=scale-out npm run bench`],
        facts: [
          `Page: ${page}; autocannon at ${CONNECTIONS} connections, ${Math.min(3, SECONDS)} s warm-up, then ${SECONDS} s; "one server alone" is app server A directly, "two servers" is nginx (deploy/nginx) in front of A and B`,
          `Connection budget (ADR 061): PgBouncer max_db_connections ${poolLimit} + 2 servers × ${DIRECT_PER_SERVER} direct = ${budget}, against max_connections ${maxConnections}`,
          `Load average (1 min) at the end: ${loads} on ${os.availableParallelism()} CPUs: with two cores, two servers share the same CPUs as PostgreSQL, PgBouncer and nginx`,
        ],
        extra: `| Workload | Peak PostgreSQL connections | Budget |\n|---|---:|---:|\n${peaks.join("\n")}\n`,
        ...(over ? { missed: [`PostgreSQL connections above the budget of ${budget}`] } : {}),
      },
    };
  } finally {
    removeCleanup();
    await nginx?.stop();
    for (const s of servers) await s.stop();
    await bouncer?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
