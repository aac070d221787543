/**
 * Section "dashboard" of `npm run bench` (issue 8): the support dashboard on the large dataset in
 * BENCH_LARGE_DATABASE_URL (filled by `npm run seed:large`; used as it is, never dropped).
 *
 * 1. Setup, once per database (skipped when already done): the seed has threads, answers, votes
 *    and 1.2 million thread views but almost no domain events and no search or knowledge-base rows,
 *    so this adds synthetic data, all marked as such:
 *    - one `thread.viewed` domain event per thread_views row (payload {"bench": true}), so the event
 *      log holds over a million events as it would in production (the dashboard never reads it);
 *    - 300,000 search_queries over the two years (visitor keys `a:bench-…`, 12 % without results,
 *      40 % with an opened result), 60 published articles (slugs `bench-…`), 200,000 article views
 *      and 20,000 helpfulness answers.
 * 2. The rollup backfill, `npm run metrics:rollup -- --all`, timed (it rebuilds question_stats and
 *    every daily cell of the dataset's two years from the raw tables).
 * 3. The dashboard for the last 90 days, all categories, signed in as a seeded staff member:
 *    autocannon, 8 connections, 5 s warm-up then 20 s. Target p99 < 300 ms. Then the loader alone
 *    for 20 different 90-day ranges, one at a time: the uncached cost (no target).
 * 4. The CSV of one year of the daily series (all categories), 20 downloads one after another
 *    after 3 unmeasured ones, each read to its last byte. Target: every one < 1 s.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { CACHE_SECONDS } from "~/modules/metrics/dashboard-queries.server.ts";
import { runWorkload, type WorkloadResult } from "./lib/autocannon.ts";
import { onCleanup, type SectionContext, type SectionOutcome } from "./lib/section.ts";
import { processTreeMemory, startServer, waitUntilSearchIsWarm, type BenchServer } from "./lib/server.ts";
import { percentile, Visitor } from "./lib/visitor.ts";
import { SEED_PASSWORD, runCliOrThrow } from "./lib/large-dataset.ts";

const TARGET = { dashboardP99: 300, csvMs: 1000 };
const SEED_EMAIL_DOMAIN = "large.threadwise.test";
const CSV_RUNS = 20;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: "threadwise bench dashboard" });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function count(client: pg.Client, sql: string): Promise<number> {
  return Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
}

/** Adds the synthetic rows described above, unless an earlier run already did. */
async function prepare(url: string, say: (line: string) => void): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    if ((await count(client, "SELECT count(*) AS n FROM domain_events WHERE type = 'thread.viewed' AND payload ? 'bench'")) === 0) {
      say("  Setup: one thread.viewed event per thread view (once)…");
      await client.query(`
        INSERT INTO domain_events (type, actor_id, subject_type, subject_id, payload, occurred_at)
        SELECT 'thread.viewed', user_id, 'thread', thread_id::text, jsonb_build_object('visitor', visitor_key, 'bench', true), viewed_at FROM thread_views`);
    }
    if ((await count(client, "SELECT count(*) AS n FROM search_queries WHERE visitor_key LIKE 'a:bench-%'")) === 0) {
      say("  Setup: 300,000 synthetic searches (once)…");
      await client.query(`
        INSERT INTO search_queries (query, terms, result_count, source, visitor_key, created_at, opened_doc, opened_at)
        SELECT q.words, string_to_array(q.words, ' '), CASE WHEN i % 8 = 0 THEN 0 ELSE 1 + i % 17 END,
          (ARRAY['page', 'header', 'ask_suggestions'])[1 + i % 3], 'a:bench-' || (i % 40000), at,
          CASE WHEN i % 5 < 2 AND i % 8 <> 0 THEN 'thread:' || (1 + i % 100000) END, CASE WHEN i % 5 < 2 AND i % 8 <> 0 THEN at + interval '20 seconds' END
        FROM generate_series(1, 300000) AS i
        CROSS JOIN LATERAL (SELECT now() - (i % 730) * interval '1 day' - (i % 86400) * interval '1 second' AS at) AS t
        CROSS JOIN LATERAL (SELECT (ARRAY['export invoices csv', 'reset password', 'webhook retries', 'exportă facturi', '导出发票', 'two factor login', 'refund policy', 'api rate limit'])[1 + i % 8] || CASE WHEN i % 8 = 0 THEN ' ' || (i % 500) ELSE '' END AS words) AS q`);
    }
    if ((await count(client, "SELECT count(*) AS n FROM articles WHERE slug LIKE 'bench-%'")) === 0) {
      say("  Setup: 60 articles, 200,000 article views, 20,000 helpfulness answers (once)…");
      await client.query(`
        INSERT INTO articles (category_id, slug, title, body_json, body_html, body_text, status, owner_id, author_id, published_at, created_at)
        SELECT c.id, 'bench-' || c.id || '-' || i, 'Benchmark article ' || i || ' in ' || c.name, '{}', '', '', 'published', u.id, u.id, now() - interval '800 days', now() - interval '800 days'
        FROM (SELECT id, name FROM categories ORDER BY id LIMIT 6) AS c CROSS JOIN generate_series(1, 10) AS i
        CROSS JOIN LATERAL (SELECT id FROM users WHERE role = 'staff' ORDER BY id LIMIT 1) AS u`);
      await client.query(`
        INSERT INTO article_views (article_id, visitor_key, day, viewed_at)
        SELECT a.ids[1 + i % array_length(a.ids, 1)], 'a:bench-' || i, (now() - (i % 730) * interval '1 day')::date, now() - (i % 730) * interval '1 day'
        FROM generate_series(1, 200000) AS i CROSS JOIN (SELECT array_agg(id) AS ids FROM articles WHERE slug LIKE 'bench-%') AS a
        ON CONFLICT DO NOTHING`);
      await client.query(`
        INSERT INTO article_feedback (article_id, visitor_key, helpful, created_at, updated_at)
        SELECT a.ids[1 + i % array_length(a.ids, 1)], 'a:bench-' || i, (i % 7) <> 0 AND (i % 60) > 5, now() - (i % 730) * interval '1 day', now() - (i % 730) * interval '1 day'
        FROM generate_series(1, 20000) AS i CROSS JOIN (SELECT array_agg(id) AS ids FROM articles WHERE slug LIKE 'bench-%') AS a
        ON CONFLICT DO NOTHING`);
    }
    const row = (
      await client.query<Record<string, string>>(`
        SELECT (SELECT count(*) FROM threads) AS threads, (SELECT count(*) FROM domain_events) AS events, (SELECT count(*) FROM thread_views) AS views,
          (SELECT count(*) FROM search_queries) AS searches, (SELECT count(*) FROM article_views) AS article_views`)
    ).rows[0]!;
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
  });
}

function check(value: number, target: number): string {
  return `< ${target} ${value < target ? "✓" : "✗ missed"}`;
}

export async function runDashboardSection({ say }: SectionContext): Promise<SectionOutcome> {
  const url = process.env.BENCH_LARGE_DATABASE_URL;
  if (!url) return { skipped: "skipped: set BENCH_LARGE_DATABASE_URL to a database filled by npm run seed:large" };
  const password = process.env.BENCH_LARGE_PASSWORD ?? SEED_PASSWORD;
  const dbName = new URL(url).pathname.slice(1);

  const counts = await prepare(url, say);
  say(`  Large database ${dbName}: ${fmt(counts.threads!)} threads, ${fmt(counts.events!)} domain events, ${fmt(counts.views!)} thread views, ${fmt(counts.searches!)} searches, ${fmt(counts.article_views!)} article views`);
  say("  Rollup backfill (npm run metrics:rollup -- --all)…");
  const rolled = await runCliOrThrow("metrics:rollup", "metrics-rollup.ts", ["--all"], url);
  const rollup = { ms: rolled.wallMs, output: rolled.stdout + rolled.stderr };
  const rebuilt = /Rebuilt .*/.exec(rollup.output)?.[0] ?? "";
  say(`  ${rebuilt} (${(rollup.ms / 1000).toFixed(1)} s with process start)`);

  const staffEmail = await withClient(url, async (client) => (await client.query<{ email: string }>(`SELECT email FROM users WHERE role = 'staff' AND status = 'active' AND email_normalized LIKE $1 ORDER BY created_at, id LIMIT 1`, [`%@${SEED_EMAIL_DOMAIN}`])).rows[0]?.email);
  if (!staffEmail) throw new Error("No seeded staff member in BENCH_LARGE_DATABASE_URL");

  let server: BenchServer | undefined;
  const removeCleanup = onCleanup(async () => {
    await server?.stop();
  });
  try {
    server = await startServer(url);
    // Measured on a server in its steady state: at scale 5 loading the search index takes its first seconds.
    await waitUntilSearchIsWarm(server.origin);
    const visitor = new Visitor(server.origin);
    await visitor.signIn(staffEmail, password);
    const cookie = visitor.cookieHeader();
    const check90 = await visitor.page("/dashboard?range=90");
    if (check90.status !== 200 || !check90.text.includes("Questions asked")) throw new Error(`GET /dashboard?range=90 answered ${check90.status}`);

    say("  Dashboard, 90 days, all categories, 8 connections, 20 s…");
    const results: WorkloadResult[] = [];
    results.push(
      await runWorkload(server.origin, {
        name: "Dashboard, 90 days, all categories (staff)",
        path: "/dashboard?range=90",
        connections: 8,
        durationSeconds: 20,
        warmupSeconds: 5,
        headers: { cookie },
        targets: { p99Ms: TARGET.dashboardP99 },
      }),
    );
    say(`  ${results[0]!.requestsPerSecond.toFixed(1)} req/s, p50 ${results[0]!.p50Ms} ms, p99 ${results[0]!.p99Ms} ms (target p99 < ${TARGET.dashboardP99} ms)`);

    // Uncached: the loader alone for 20 different 90-day ranges (each a cache miss), one at a time.
    const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    const cold: number[] = [];
    for (let i = 1; i <= 20; i++) {
      const started = performance.now();
      const res = await fetch(`${server.origin}/dashboard?range=custom&from=${day(89 + i)}&to=${day(i)}&_data=routes%2Fdashboard`, { headers: { cookie } });
      await res.text();
      if (res.status !== 200) throw new Error(`uncached dashboard loader answered ${res.status}`);
      cold.push(performance.now() - started);
    }
    say(`  Uncached loader, 90 days (20 different ranges, 1 at a time): p50 ${percentile(cold, 50).toFixed(0)} ms, max ${Math.max(...cold).toFixed(0)} ms`);

    const to = new Date().toISOString().slice(0, 10);
    const fromDate = new Date(`${to}T00:00:00Z`);
    fromDate.setUTCDate(fromDate.getUTCDate() - 364);
    const csvPath = `/dashboard/export/daily?range=custom&from=${fromDate.toISOString().slice(0, 10)}&to=${to}`;
    const samples: number[] = [];
    let csvRows = 0;
    let csvErrors = 0;
    for (let i = 0; i < CSV_RUNS + 3; i++) {
      const started = performance.now();
      const res = await fetch(server.origin + csvPath, { headers: { cookie } });
      const text = await res.text();
      const ms = performance.now() - started;
      if (res.status !== 200) csvErrors++;
      if (i >= 3) samples.push(ms);
      csvRows = text.trimEnd().split("\r\n").length - 1;
    }
    const csvMax = Math.max(...samples);
    say(`  CSV, one year of the daily series (${csvRows} rows): p50 ${percentile(samples, 50).toFixed(0)} ms, max ${csvMax.toFixed(0)} ms (target < ${TARGET.csvMs} ms)`);

    const rss = processTreeMemory(server.pid)[0]?.rssKiB ?? 0;
    const missed: string[] = [];
    if (csvMax >= TARGET.csvMs) missed.push("Dashboard: CSV of one year");
    const extra = [
      "| Figure | Measured | Target |",
      "|---|---:|---|",
      `| Dashboard, 90 days, all categories: p99 at 8 connections | ${results[0]!.p99Ms} ms | ${check(results[0]!.p99Ms, TARGET.dashboardP99)} |`,
      `| CSV of one year of the daily series (${csvRows} rows), ${CSV_RUNS} downloads: p50 | ${percentile(samples, 50).toFixed(0)} ms | — |`,
      `| CSV of one year of the daily series: slowest download | ${csvMax.toFixed(0)} ms | ${check(csvMax, TARGET.csvMs)} |`,
      `| Uncached dashboard loader, 90 days, 20 different ranges one at a time: p50 / max | ${percentile(cold, 50).toFixed(0)} / ${Math.max(...cold).toFixed(0)} ms | — |`,
      `| Rollup backfill of the whole dataset (\`npm run metrics:rollup -- --all\`, process start included) | ${(rollup.ms / 1000).toFixed(1)} s | — |`,
      "",
      "The dashboard reads daily_rollups (sums) and question_stats (medians, percentiles); it never reads domain_events.",
      `A computed dashboard is kept ${CACHE_SECONDS} s per range and category in each app server (ADR 023), so the autocannon run measures mostly rendering; the uncached row shows the cost of computing one.`,
    ].join("\n");
    return {
      report: {
        id: "dashboard",
        title: "Support dashboard on the large dataset (issue 8)",
        results,
        serverRssMiB: rss / 1024,
        database: `${dbName} (BENCH_LARGE_DATABASE_URL): ${fmt(counts.threads!)} threads, ${fmt(counts.events!)} domain events, ${fmt(counts.views!)} thread views, ${fmt(counts.searches!)} searches (synthetic), ${fmt(counts.article_views!)} article views (synthetic)`,
        commands: ["npm run metrics:rollup -- --all", "npm run bench"],
        facts: [`Rollups: ${rebuilt}`, "Synthetic rows added once by tests/bench/dashboard.ts: thread.viewed events mirroring thread_views, searches, articles, article views and feedback"],
        extra,
        missed,
        invalid: csvErrors ? [`${csvErrors} CSV download(s) failed`] : undefined,
      },
    };
  } catch (error) {
    // A server that stopped answering says why in its own output.
    throw new Error(`${String(error)}\nThe server's last output:\n${server?.recentOutput() ?? "(not started)"}`, { cause: error });
  } finally {
    await server?.stop();
    removeCleanup();
  }
}
