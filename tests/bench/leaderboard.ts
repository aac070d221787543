/**
 * Section "leaderboard" of `npm run bench` (issue 6): /leaderboard on the large dataset of
 * `npm run seed:large` after `npm run reputation:backfill`, in the database named by
 * BENCH_LARGE_DATABASE_URL (used as it is, never changed). Each period page (this week, month,
 * year, all time; all categories, by reputation earned), then one category page and one by
 * accepted answers, each with autocannon at 1 connection (a lone visitor's latency, as the qa
 * section measures pages; 3 s warm-up, then 10 s). Target: p99 < 100 ms per page. One more row at
 * 4 connections (no target) shows queueing on the shared CPU. Without the variable the section is
 * skipped.
 */
import os from "node:os";
import pg from "pg";
import { runWorkload, type Workload, type WorkloadResult } from "./lib/autocannon.ts";
import { onCleanup, type SectionContext, type SectionOutcome } from "./lib/section.ts";
import { processTreeMemory, startServer, type BenchServer } from "./lib/server.ts";
import { masked } from "./lib/large-dataset.ts";

const TARGET_P99_MS = 100;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function inspect(url: string) {
  const client = new pg.Client({ connectionString: url, application_name: "threadwise bench" });
  await client.connect();
  try {
    const counts = (
      await client.query<{ entries: string; totals: string; badges: string; users: string; version: string }>(
        `SELECT (SELECT count(*) FROM reputation_entries) AS entries, (SELECT count(*) FROM reputation_period_totals) AS totals,
          (SELECT count(*) FROM user_badges WHERE revoked_at IS NULL) AS badges, (SELECT count(*) FROM users) AS users,
          current_setting('server_version') AS version`,
      )
    ).rows[0]!;
    // The busiest category, for the per-category page.
    const category = (
      await client.query<{ slug: string }>(
        `SELECT c.slug FROM categories c JOIN reputation_period_totals r ON r.category_id = c.id AND r.period = 'all' GROUP BY c.slug ORDER BY count(*) DESC LIMIT 1`,
      )
    ).rows[0];
    return { ...counts, category: category?.slug ?? null };
  } finally {
    await client.end();
  }
}

export async function runLeaderboardSection({ say }: SectionContext): Promise<SectionOutcome> {
  const url = process.env.BENCH_LARGE_DATABASE_URL;
  if (!url) return { skipped: "skipped: set BENCH_LARGE_DATABASE_URL to a database filled by npm run seed:large and npm run reputation:backfill" };
  const db = await inspect(url);
  if (+db.entries === 0) return { skipped: "skipped: the ledger is empty; run npm run reputation:backfill on BENCH_LARGE_DATABASE_URL first" };
  const dbName = new URL(url).pathname.slice(1);
  say(`  Large database ${dbName}: ${fmt(+db.entries)} ledger entries, ${fmt(+db.totals)} rollup rows, ${fmt(+db.badges)} live badges`);

  let server: BenchServer | undefined;
  const removeCleanup = onCleanup(async () => {
    await server?.stop();
  });
  try {
    server = await startServer(url);
    const loadBefore = os.loadavg()[0]!.toFixed(2);
    const pages: { name: string; path: string }[] = [
      { name: "Leaderboard, this week", path: "/leaderboard?period=week" },
      { name: "Leaderboard, this month", path: "/leaderboard?period=month" },
      { name: "Leaderboard, this year", path: "/leaderboard?period=year" },
      { name: "Leaderboard, all time", path: "/leaderboard?period=all" },
      ...(db.category ? [{ name: "Leaderboard, one category, this year", path: `/leaderboard?period=year&category=${db.category}` }] : []),
      { name: "Leaderboard, accepted answers, this month", path: "/leaderboard?period=month&by=accepted" },
    ];
    const results: WorkloadResult[] = [];
    const workloads: Workload[] = [
      ...pages.map((page) => ({ name: page.name, path: page.path, connections: 1, durationSeconds: 10, warmupSeconds: 3, targets: { p99Ms: TARGET_P99_MS } })),
      { name: "Leaderboard, all time (4 connections, no target)", path: "/leaderboard?period=all", connections: 4, durationSeconds: 10, warmupSeconds: 3 },
    ];
    for (const workload of workloads) {
      const page = workload;
      process.stdout.write(`  ${page.name} at ${workload.connections} connection(s)… `);
      const result = await runWorkload(server.origin, workload);
      say(`${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms ${workload.targets ? ` (target p99 ≤ ${TARGET_P99_MS} ms ${result.p99Ms <= TARGET_P99_MS ? "✓" : "✗ missed"})` : ""}`);
      results.push(result);
    }
    const rssMiB = (processTreeMemory(server.pid)[0]?.rssKiB ?? 0) / 1024;
    const loadAfter = os.loadavg()[0]!.toFixed(2);
    const sections = process.env.BENCH_SECTIONS ? `BENCH_SECTIONS=${process.env.BENCH_SECTIONS} ` : "";
    return {
      report: {
        id: "leaderboard",
        title: "Leaderboards on the large dataset (issue 6)",
        results,
        serverRssMiB: rssMiB,
        database: `PostgreSQL ${db.version.split(" ")[0]} at ${new URL(url).host}, database \`${dbName}\` (kept, not changed)`,
        commands: [`DATABASE_URL=${masked(url)} npm run reputation:backfill`, `BENCH_LARGE_DATABASE_URL=${masked(url)} ${sections}npm run bench`],
        facts: [
          `Ledger: ${fmt(+db.entries)} entries for ${fmt(+db.users)} members, ${fmt(+db.totals)} rows in reputation_period_totals, ${fmt(+db.badges)} live badges`,
          "Each page is one index range scan of reputation_period_totals (period, category, points or accepted) joined to 50 users; the category names come from an in-memory map",
          `autocannon: 1 connection (the last row 4), 3 s warm-up, then 10 s measured; anonymous visitor`,
          `Load average (1 min) before and after: ${loadBefore} and ${loadAfter} on ${os.availableParallelism()} CPUs, shared with other engineers' test runs: figures are noisy`,
        ],
      },
    };
  } finally {
    removeCleanup();
    await server?.stop();
  }
}
