/**
 * Section "webhooks" of `npm run bench` (issue 22, ADR 064): 1,000 domain events fanned out to 3
 * endpoints, every delivery made, within 30 s. Runs on a fresh small database (never the large
 * dataset: the figure is about the queue and the HTTP deliveries, not the data), against the production
 * server with its in-process job worker. The 3 receivers are HTTP servers on 127.0.0.1 in the bench
 * process; the server reaches them only through the test-only loopback allowance
 * (THREADWISE_WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS=1), and each receiver checks every signature.
 *
 * The 1,000 events (user.profile_updated of one seeded member) are written in one statement the way
 * recordEvent writes them (the event row and its handle-event job); the time runs from that commit
 * until all 3,000 deliveries are logged as succeeded.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { createBenchDatabase, type BenchDatabase } from "./lib/database.ts";
import { onCleanup, type SectionContext, type SectionOutcome } from "./lib/section.ts";
import { processTreeMemory, startServer, type BenchServer } from "./lib/server.ts";

const EVENTS = 1_000;
const ENDPOINTS = 3;
const TARGET_MS = 30_000;
const LIMIT_MS = 180_000;

type Receiver = { url: string; received: () => number; badSignatures: () => number; close: () => Promise<void> };

async function startReceiver(secret: string): Promise<Receiver> {
  let received = 0;
  let bad = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const header = String(req.headers["threadwise-signature"] ?? "");
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
      const expected = match ? crypto.createHmac("sha256", secret).update(`${match[1]}.${body}`).digest("hex") : "";
      if (!match || expected !== match[2]) bad += 1;
      received += 1;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received: () => received,
    badSignatures: () => bad,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function runWebhooksSection({ say }: SectionContext): Promise<SectionOutcome> {
  let database: BenchDatabase | undefined;
  let server: BenchServer | undefined;
  let client: pg.Client | undefined;
  const receivers: Receiver[] = [];
  const cleanUp = async () => {
    await server?.stop();
    await Promise.all(receivers.map((r) => r.close()));
    await client?.end().catch(() => {});
    await database?.drop();
  };
  const removeCleanup = onCleanup(cleanUp);
  try {
    database = await createBenchDatabase(process.env.DATABASE_URL || null);
    say(`  Database: ${database.description} (fresh, small)`);
    server = await startServer(database.url, { env: { THREADWISE_WEBHOOKS_ALLOW_LOOPBACK_FOR_TESTS: "1" } });
    client = new pg.Client({ connectionString: database.url, application_name: "threadwise bench webhooks" });
    await client.connect();
    for (let i = 0; i < ENDPOINTS; i++) {
      const secret = `whsec_bench_${crypto.randomBytes(16).toString("hex")}`;
      const receiver = await startReceiver(secret);
      receivers.push(receiver);
      await client.query("INSERT INTO webhook_endpoints (url, events, secret, description) VALUES ($1, ARRAY['user.profile_updated'], $2, 'bench')", [receiver.url, secret]);
    }
    // The member whose profile "changes" 1,000 times (the fresh database may hold none).
    const { rows: users } = await client.query<{ id: string }>(
      `INSERT INTO users (id, email, email_normalized, handle, display_name, updated_at)
       VALUES ('bench-webhooks-member', 'bench-webhooks@example.com', 'bench-webhooks@example.com', 'bench-webhooks', 'Bench 网络钩子', now()) RETURNING id`,
    );
    const started = performance.now();
    await client.query(
      `WITH e AS (
         INSERT INTO domain_events (type, actor_id, subject_type, subject_id, payload)
         SELECT 'user.profile_updated', $1, 'user', $1, '{}'::jsonb FROM generate_series(1, $2)
         RETURNING id, type
       )
       SELECT count(*) FROM e, LATERAL graphile_worker.add_job('handle-event', json_build_object('eventId', e.id::text, 'type', e.type)) AS job`,
      [users[0].id, EVENTS],
    );
    const expected = EVENTS * ENDPOINTS;
    let delivered = 0;
    while (performance.now() - started < LIMIT_MS) {
      const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'succeeded'");
      delivered = rows[0]!.n;
      if (delivered >= expected) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const wallMs = performance.now() - started;
    const received = receivers.reduce((n, r) => n + r.received(), 0);
    const bad = receivers.reduce((n, r) => n + r.badSignatures(), 0);
    const { rows: failed } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'succeeded'");
    const rssMiB = (processTreeMemory(server.pid)[0]?.rssKiB ?? 0) / 1024;
    const ok = delivered >= expected && wallMs <= TARGET_MS;
    say(`  ${delivered.toLocaleString("en-US")} of ${expected.toLocaleString("en-US")} deliveries in ${(wallMs / 1000).toFixed(1)} s (target ≤ ${TARGET_MS / 1000} s) ${ok ? "✓" : "✗ missed"}; receivers got ${received}, ${bad} bad signatures`);
    return {
      report: {
        id: "webhooks",
        title: "Webhooks: 1,000 events to 3 endpoints (issue 22)",
        results: [],
        serverRssMiB: Math.round(rssMiB),
        database: `${database.description}, fresh and small (dropped after the run)`,
        commands: ["BENCH_SECTIONS=webhooks npm run bench"],
        facts: [
          `${EVENTS.toLocaleString("en-US")} user.profile_updated events written in one statement as recordEvent writes them (event row + handle-event job), ${ENDPOINTS} endpoints subscribed to the type, receivers on 127.0.0.1 through the test-only loopback allowance`,
          "Time: from the events' commit until every delivery is logged as succeeded (the server's in-process job worker does the fan-out and the HTTP deliveries)",
        ],
        extra: [
          "| Figure | measured | target | |",
          "|--------|---------:|--------|---|",
          `| ${expected.toLocaleString("en-US")} deliveries made (${received} received, ${bad} bad signatures, ${failed[0]!.n} not succeeded) | ${(wallMs / 1000).toFixed(1)} s | ≤ ${TARGET_MS / 1000} s | ${ok ? "✓" : "✗ missed"} |`,
        ].join("\n"),
        missed: ok ? [] : ["1,000 events to 3 endpoints within 30 s"],
        invalid: [...(bad > 0 ? [`${bad} deliveries had a bad signature`] : []), ...(delivered < expected ? [`only ${delivered} of ${expected} deliveries succeeded within ${LIMIT_MS / 1000} s`] : [])],
      },
    };
  } finally {
    removeCleanup();
    await cleanUp().catch((error: unknown) => say(`  Clean-up failed: ${String(error)}`));
  }
}
