/**
 * Section "api" of `npm run bench` (issue 22): `GET /api/v1/questions` on the large dataset of
 * `npm run seed:large`, in the database named by BENCH_LARGE_DATABASE_URL. Target: p50 ≤ 10 ms at one
 * connection (a lone integration polling the list). Each request goes the whole way a client's does: key
 * lookup, the per-key rate limit in PostgreSQL (on, as in production), query validation, the list query and
 * JSON. A key may spend 600 requests a minute, so each workload has a key of its own and measures a fixed
 * number of requests inside that budget (100 to warm up, then 450) instead of a duration. Rows: page 1 (the
 * target), page 51 by nextCursor (50 pages deep, no target) and the unanswered filter (no target).
 *
 * The keys (read scope, acting as the first active member) are inserted for the run and deleted at the end;
 * nothing else in the database changes. Without the variable the section is skipped.
 */
import crypto from "node:crypto";
import os from "node:os";
import pg from "pg";
import { runWorkload, type Workload, type WorkloadResult } from "./lib/autocannon.ts";
import { onCleanup, type SectionContext, type SectionOutcome } from "./lib/section.ts";
import { processTreeMemory, startServer, type BenchServer } from "./lib/server.ts";
import { masked } from "./lib/large-dataset.ts";

const TARGET_P50_MS = 10;
const WARMUP_REQUESTS = 100;
const MEASURED_REQUESTS = 450;
const DEEP_PAGES = 50;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

type BenchKey = { id: string; token: string };

/** Read keys for one run, stored as the app stores them (SHA-256 of the secret); removed by the returned function. */
async function insertKeys(client: pg.Client, count: number): Promise<{ keys: BenchKey[]; remove: () => Promise<void> }> {
  const member = (await client.query<{ id: string }>(`SELECT id FROM users WHERE status = 'active' ORDER BY role = 'member' DESC, created_at LIMIT 1`)).rows[0];
  if (!member) throw new Error("No active member in the database to act as");
  const keys = Array.from({ length: count }, () => ({ id: `bench-api-${crypto.randomBytes(8).toString("hex")}`, token: `tw_${crypto.randomBytes(32).toString("base64url")}` }));
  for (const key of keys) {
    await client.query(
      `INSERT INTO api_keys (id, user_id, created_by_id, kind, name, scope, prefix, token_hash) VALUES ($1, $2, $2, 'personal', 'npm run bench', 'read', $3, $4)`,
      [key.id, member.id, key.token.slice(0, 10), crypto.createHash("sha256").update(key.token).digest("hex")],
    );
  }
  return { keys, remove: async () => void (await client.query(`DELETE FROM api_keys WHERE id = ANY($1::text[])`, [keys.map((k) => k.id)])) };
}

async function getJson(origin: string, path: string, token: string): Promise<{ items: unknown[]; nextCursor: string | null }> {
  const response = await fetch(origin + path, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { items: unknown[]; nextCursor: string | null };
}

export async function runApiSection({ say }: SectionContext): Promise<SectionOutcome> {
  const url = process.env.BENCH_LARGE_DATABASE_URL;
  if (!url) return { skipped: "skipped: set BENCH_LARGE_DATABASE_URL to a database filled by npm run seed:large" };
  const dbName = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: url, application_name: "threadwise bench" });
  await client.connect();
  let server: BenchServer | undefined;
  let removeKeys: (() => Promise<void>) | undefined;
  const removeCleanup = onCleanup(async () => {
    await server?.stop();
    await removeKeys?.().catch(() => undefined);
    await client.end().catch(() => undefined);
  });
  try {
    const db = (await client.query<{ threads: string; version: string }>(`SELECT (SELECT count(*) FROM threads) AS threads, current_setting('server_version') AS version`)).rows[0]!;
    say(`  Large database ${dbName}: ${fmt(+db.threads)} threads`);
    const made = await insertKeys(client, 4);
    removeKeys = made.remove;
    const [pageOneKey, deepKey, unansweredKey, walkKey] = made.keys as [BenchKey, BenchKey, BenchKey, BenchKey];
    server = await startServer(url);

    // Page 51: follow nextCursor 50 times, as a client walking the list does.
    let deepPath = "/api/v1/questions";
    for (let i = 0; i < DEEP_PAGES; i += 1) {
      const page = await getJson(server.origin, deepPath, walkKey.token);
      if (!page.nextCursor) break;
      deepPath = `/api/v1/questions?cursor=${page.nextCursor}`;
    }
    const loadBefore = os.loadavg()[0]!.toFixed(2);
    const workload = (name: string, path: string, key: BenchKey, targeted: boolean, displayPath?: string): Workload => ({
      name, path, displayPath, connections: 1, durationSeconds: 60, warmupAmount: WARMUP_REQUESTS, amount: MEASURED_REQUESTS,
      headers: { accept: "application/json", Authorization: `Bearer ${key.token}` },
      ...(targeted ? { targets: { p50Ms: TARGET_P50_MS } } : {}),
    });
    const workloads: Workload[] = [
      workload("API question list, page 1", "/api/v1/questions", pageOneKey, true),
      workload(`API question list, page ${DEEP_PAGES + 1} by cursor (no target)`, deepPath, deepKey, false, "/api/v1/questions?cursor=…"),
      workload("API question list, unanswered (no target)", "/api/v1/questions?filter=unanswered", unansweredKey, false),
    ];
    const results: WorkloadResult[] = [];
    for (const w of workloads) {
      process.stdout.write(`  ${w.name}… `);
      const result = await runWorkload(server.origin, w);
      const met = result.p50Ms <= TARGET_P50_MS;
      say(`${result.requests} requests, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, non-2xx ${result.non2xx}${w.targets ? ` (target p50 ≤ ${TARGET_P50_MS} ms ${met ? "✓" : "✗ missed"})` : ""}`);
      results.push(result);
    }
    const rssMiB = (processTreeMemory(server.pid)[0]?.rssKiB ?? 0) / 1024;
    const loadAfter = os.loadavg()[0]!.toFixed(2);
    const sections = process.env.BENCH_SECTIONS ? `BENCH_SECTIONS=${process.env.BENCH_SECTIONS} ` : "";
    return {
      report: {
        id: "api",
        title: "JSON API: the question list on the large dataset (issue 22)",
        results,
        serverRssMiB: rssMiB,
        database: `PostgreSQL ${db.version.split(" ")[0]} at ${new URL(url).host}, database \`${dbName}\` (only its bench keys added, then removed)`,
        commands: [`BENCH_LARGE_DATABASE_URL=${masked(url)} ${sections}npm run bench`],
        facts: [
          `${fmt(+db.threads)} threads; each request with a read key: key lookup, the per-key rate limit in PostgreSQL (on), validation, the list query (30 items) and JSON`,
          `autocannon: 1 connection, ${WARMUP_REQUESTS} requests to warm up, then ${MEASURED_REQUESTS} measured (a key may spend 600 a minute: one key per row)`,
          `Load average (1 min) before and after: ${loadBefore} and ${loadAfter} on ${os.availableParallelism()} CPUs, shared with other engineers' test runs: figures are noisy`,
        ],
      },
    };
  } finally {
    removeCleanup();
    await server?.stop();
    await removeKeys?.().catch((error: unknown) => console.error("Could not remove the bench keys:", error));
    await client.end().catch(() => undefined);
  }
}
