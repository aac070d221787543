/**
 * Section "seo" of `npm run bench` (issue 21): the sitemap index and every sitemap part, and the
 * Atom feeds, on the large dataset of `npm run seed:large` in BENCH_LARGE_DATABASE_URL (used as it
 * is, never changed). Target: each answers in under 1 s (p99 < 1000 ms at 1 connection; 2 s warm-up,
 * then 10 s). A part of 50,000 thread URLs is about 9 MB of XML before gzip (ADR 073). Without the variable the
 * section is skipped.
 */
import os from "node:os";
import pg from "pg";
import { runWorkload, type Workload, type WorkloadResult } from "./lib/autocannon.ts";
import { onCleanup, type SectionContext, type SectionOutcome } from "./lib/section.ts";
import { processTreeMemory, startServer, type BenchServer } from "./lib/server.ts";
import { masked } from "./lib/large-dataset.ts";

const TARGET_P99_MS = 1000;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function inspect(url: string) {
  const client = new pg.Client({ connectionString: url, application_name: "threadwise bench" });
  await client.connect();
  try {
    const counts = (
      await client.query<{ threads: string; answered: string; articles: string; tags: string; version: string; category: string | null; tag: string | null }>(
        `SELECT (SELECT count(*) FROM threads) AS threads,
          (SELECT count(*) FROM threads WHERE hidden_at IS NULL AND deleted_at IS NULL AND answer_count > 0) AS answered,
          (SELECT count(*) FROM articles WHERE status = 'published') AS articles, (SELECT count(*) FROM tags) AS tags,
          (SELECT c.slug FROM categories c JOIN threads t ON t.category_id = c.id GROUP BY c.slug ORDER BY count(*) DESC LIMIT 1) AS category,
          (SELECT g.name FROM tags g ORDER BY g.thread_count DESC LIMIT 1) AS tag,
          current_setting('server_version') AS version`,
      )
    ).rows[0]!;
    return counts;
  } finally {
    await client.end();
  }
}

export async function runSeoSection({ say }: SectionContext): Promise<SectionOutcome> {
  const url = process.env.BENCH_LARGE_DATABASE_URL;
  if (!url) return { skipped: "skipped: set BENCH_LARGE_DATABASE_URL to a database filled by npm run seed:large" };
  const db = await inspect(url);
  const dbName = new URL(url).pathname.slice(1);
  say(`  Large database ${dbName}: ${fmt(+db.threads)} threads (${fmt(+db.answered)} answered and public), ${fmt(+db.articles)} published articles, ${fmt(+db.tags)} tags`);

  let server: BenchServer | undefined;
  const removeCleanup = onCleanup(async () => {
    await server?.stop();
  });
  try {
    server = await startServer(url);
    const loadBefore = os.loadavg()[0]!.toFixed(2);
    // The parts come from the index itself, so every part the site offers is measured.
    const index = await (await fetch(`${server.origin}/sitemap.xml`)).text();
    const parts = [...index.matchAll(/<loc>[^<]*?(\/sitemaps\/[^<]+)<\/loc>/g)].map((m) => m[1]!);
    // The first request of a thread part builds it (query, XML, gzip); the workloads below then repeat the
    // same URL, which a server answers from its kept copy after the fingerprint query (ADR 073).
    const firstRequests: string[] = [];
    for (const path of parts.filter((p) => p.includes("threads-"))) {
      const started = performance.now();
      const response = await fetch(`${server.origin}${path}`);
      const bytes = (await response.arrayBuffer()).byteLength;
      firstRequests.push(`${path.slice("/sitemaps/".length)} ${fmt(performance.now() - started)} ms (${fmt(bytes / 1024)} KiB of XML)`);
    }
    say(`  First request of each thread part (built, not kept): ${firstRequests.join(", ")}`);
    const pages: { name: string; path: string }[] = [
      { name: "Sitemap index", path: "/sitemap.xml" },
      ...parts.map((path) => ({ name: `Sitemap part ${path.slice("/sitemaps/".length)}`, path })),
      { name: "Atom: latest questions", path: "/feeds/questions" },
      ...(db.category ? [{ name: "Atom: busiest category", path: `/feeds/categories/${db.category}` }] : []),
      ...(db.tag ? [{ name: "Atom: busiest tag", path: `/feeds/tags/${encodeURIComponent(db.tag)}` }] : []),
      { name: "Atom: knowledge base", path: "/feeds/kb" },
    ];
    const results: WorkloadResult[] = [];
    const workloads: Workload[] = pages.map((page) => ({ name: page.name, path: page.path, connections: 1, durationSeconds: 10, warmupSeconds: 2, targets: { p99Ms: TARGET_P99_MS } }));
    for (const workload of workloads) {
      process.stdout.write(`  ${workload.name}… `);
      const result = await runWorkload(server.origin, workload);
      say(`${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (target p99 < ${TARGET_P99_MS} ms ${result.p99Ms < TARGET_P99_MS ? "✓" : "✗ missed"})`);
      results.push(result);
    }
    const rssMiB = (processTreeMemory(server.pid)[0]?.rssKiB ?? 0) / 1024;
    const loadAfter = os.loadavg()[0]!.toFixed(2);
    const sections = process.env.BENCH_SECTIONS ? `BENCH_SECTIONS=${process.env.BENCH_SECTIONS} ` : "";
    return {
      report: {
        id: "seo",
        title: "Sitemaps and feeds on the large dataset (issue 21)",
        results,
        serverRssMiB: rssMiB,
        database: `PostgreSQL ${db.version.split(" ")[0]} at ${new URL(url).host}, database \`${dbName}\` (kept, not changed)`,
        commands: [`BENCH_LARGE_DATABASE_URL=${masked(url)} ${sections}npm run bench`],
        facts: [
          `${fmt(+db.answered)} answered public threads → ${parts.filter((p) => p.includes("threads-")).length} thread part(s) of at most 50,000 URLs; ${fmt(+db.articles)} articles; ${fmt(+db.tags)} tags`,
          "The index is one grouped window scan over the answered public threads plus the article and list queries; a thread part is one LIMIT/OFFSET range in id order, kept gzipped and answered from that copy while a fingerprint query finds it unchanged (ADR 073)",
          `First request of each thread part (built from the database, then kept): ${firstRequests.join(", ")}`,
          "autocannon: 1 connection, 2 s warm-up, then 10 s measured; anonymous visitor, gzip accepted",
          `Load average (1 min) before and after: ${loadBefore} and ${loadAfter} on ${os.availableParallelism()} CPUs`,
        ],
      },
    };
  } finally {
    removeCleanup();
    await server?.stop();
  }
}
