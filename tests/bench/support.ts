/**
 * Section "support" of `npm run bench` (issue 20), on the large dataset of `npm run seed:large` in the
 * database named by BENCH_LARGE_DATABASE_URL (used as it is, never dropped; what the run adds is removed
 * at the end). Two figures of the issue:
 *
 * 1. Creating a ticket ("Still need help?") for a customer with a 7-day journey of 500 events
 *    (BENCH_SUPPORT_JOURNEY): 250 searches and 250 thread views spread over the last 7 days are added for a
 *    seeded member; the member then sends the form 10 times unmeasured and 100 times measured
 *    (BENCH_SUPPORT_REQUESTS), each with a fresh page token, as Remix's client sends it (`?_data=`).
 *    Target: p99 ≤ 100 ms. Staff then open one of those tickets (the 500-event timeline is read there):
 *    reported beside it, without a target.
 * 2. The staff queue with 10,000 open tickets (BENCH_SUPPORT_TICKETS): synthetic tickets of seeded members
 *    are added, and a staff member reads `/support` (the queue's first page, its counts and the assignee
 *    list) 10 times unmeasured and 100 times measured, as `?_data=routes/support._index`. Target: p99 ≤ 100 ms.
 *
 * The third line of the issue ("journey recording adds no statement to a page view") holds by design:
 * the journey is read from the rows views and searches already write (ADR 057); nothing is measured here.
 * Run once at a small scale: BENCH_SUPPORT_TICKETS=1000 BENCH_SUPPORT_REQUESTS=20 on a `--scale 0.01` seed.
 */
import os from "node:os";
import pg from "pg";
import { onCleanup, type SectionContext, type SectionOutcome } from "./lib/section.ts";
import { processTreeMemory, startServer, type BenchServer } from "./lib/server.ts";
import { percentile, Visitor } from "./lib/visitor.ts";
import { SEED_PASSWORD, SKIP_LARGE, masked } from "./lib/large-dataset.ts";

const TARGET = { createP99Ms: 100, queueP99Ms: 100 };
const intEnv = (name: string, fallback: number) => {
  const v = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isSafeInteger(v) && v > 0 ? v : fallback;
};
const TICKETS = intEnv("BENCH_SUPPORT_TICKETS", 10_000);
const JOURNEY = intEnv("BENCH_SUPPORT_JOURNEY", 500);
const REQUESTS = intEnv("BENCH_SUPPORT_REQUESTS", 100);
const WARMUP = 10;
const SEED_EMAIL_DOMAIN = "large.threadwise.test";
const QUEUE_MARK = "bench-support-queue";
const CREATE_MARK = "bench-support-create";
const JOURNEY_MARK = "bench-support-journey";
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const check = (value: number, target: number) => (value <= target ? "✓" : "✗ missed");

export async function runSupportSection({ say }: SectionContext): Promise<SectionOutcome> {
  const url = process.env.BENCH_LARGE_DATABASE_URL;
  if (!url) return { skipped: SKIP_LARGE };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows;
  let server: BenchServer | undefined;
  let customer: { id: string; email: string } | undefined;
  let staff: { id: string; email: string; role: string } | undefined;
  let addedViews: { thread_id: string; day: string }[] = [];
  const cleanUp = async () => {
    await q("DELETE FROM support_tickets WHERE message IN ($1, $2)", [QUEUE_MARK, CREATE_MARK]);
    if (customer) {
      await q("DELETE FROM search_queries WHERE visitor_key = $1 AND query LIKE $2", [`u:${customer.id}`, `${JOURNEY_MARK}%`]);
      if (addedViews.length) {
        await q("DELETE FROM thread_views WHERE visitor_key = $1 AND (thread_id, day) IN (SELECT * FROM unnest($2::bigint[], $3::date[]))", [
          `u:${customer.id}`,
          addedViews.map((v) => v.thread_id),
          addedViews.map((v) => v.day),
        ]);
      }
    }
    if (staff && staff.role !== "staff" && staff.role !== "admin") await q(`UPDATE users SET role = $2::"Role" WHERE id = $1`, [staff.id, staff.role]);
  };
  const removeCleanup = onCleanup(async () => {
    await server?.stop();
    await cleanUp().catch(() => {});
    await client.end().catch(() => {});
  });
  try {
    const members = await q<{ id: string; email: string; role: string }>(
      "SELECT id, email, role::text AS role FROM users WHERE email_normalized LIKE $1 AND status = 'active' ORDER BY (role = 'staff') DESC, created_at, id LIMIT 2",
      [`%@${SEED_EMAIL_DOMAIN}`],
    );
    if (members.length < 2) throw new Error("The dataset needs two seeded members: run `npm run seed:large` on BENCH_LARGE_DATABASE_URL.");
    staff = members[0]!;
    customer = members[1]!;
    if (staff.role !== "staff" && staff.role !== "admin") await q(`UPDATE users SET role = 'staff' WHERE id = $1`, [staff.id]);

    // The customer's 7-day journey: searches and thread views (the rows pages and searches write).
    const searches = Math.floor(JOURNEY / 2);
    await q(
      `INSERT INTO search_queries (query, terms, result_count, source, user_id, visitor_key, created_at)
       SELECT $1 || ' ' || g, ARRAY['bench'], g % 7, 'page', $2, $3, now() - (g * interval '7 days' / ($4 + 1))
       FROM generate_series(1, $4::int) g`,
      [JOURNEY_MARK, customer.id, `u:${customer.id}`, searches],
    );
    addedViews = await q<{ thread_id: string; day: string }>(
      `WITH t AS (SELECT id, row_number() OVER (ORDER BY id DESC) AS n FROM threads WHERE deleted_at IS NULL AND hidden_at IS NULL ORDER BY id DESC LIMIT $3)
       INSERT INTO thread_views (thread_id, visitor_key, day, user_id, viewed_at)
       SELECT id, $1, ((now() - (n * interval '7 days' / ($3 + 1))) AT TIME ZONE 'UTC')::date, $2, now() - (n * interval '7 days' / ($3 + 1)) FROM t
       ON CONFLICT DO NOTHING RETURNING thread_id::text, day::text`,
      [`u:${customer.id}`, customer.id, JOURNEY - searches],
    );
    const [{ steps }] = await q<{ steps: string }>(
      `SELECT (SELECT count(*) FROM search_queries WHERE visitor_key = $1 AND created_at > now() - interval '7 days')
            + (SELECT count(*) FROM thread_views WHERE visitor_key = $1 AND viewed_at > now() - interval '7 days') AS steps`,
      [`u:${customer.id}`],
    );

    // The queue: synthetic open tickets of seeded members, waiting since the last 30 days.
    await q(
      `WITH u AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM (SELECT id FROM users WHERE status = 'active' ORDER BY id LIMIT 2000) x),
            c AS (SELECT count(*) AS n FROM u)
       INSERT INTO support_tickets (customer_id, source, message, status, priority, created_at, waiting_since)
       SELECT u.id, (ARRAY['thread','article','search','ask','routing'])[1 + g % 5], $1, (ARRAY['new','open','waiting'])[1 + g % 3],
         (ARRAY['low','normal','high','urgent'])[1 + g % 4], now() - (g % 43200) * interval '1 minute',
         CASE WHEN g % 3 = 2 THEN NULL ELSE now() - (g % 43200) * interval '1 minute' END
       FROM generate_series(1, $2::int) g, c JOIN u ON true WHERE u.rn = 1 + g % c.n`,
      [QUEUE_MARK, TICKETS],
    );
    const [{ open }] = await q<{ open: string }>("SELECT count(*) AS open FROM support_tickets WHERE status NOT IN ('solved', 'closed')");
    await q("ANALYZE support_tickets");

    server = await startServer(url);
    const asCustomer = new Visitor(server.origin);
    await asCustomer.signIn(customer.email, SEED_PASSWORD);
    const asStaff = new Visitor(server.origin);
    await asStaff.signIn(staff.email, SEED_PASSWORD);

    say(`  support: ${fmt(+steps)} journey steps for the customer, ${fmt(+open)} open tickets; ${WARMUP} + ${REQUESTS} ticket creations…`);
    const create: number[] = [];
    let errors = 0;
    let firstError = "";
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      await asCustomer.page("/support/new?source=ask");
      const reply = await asCustomer.post("/support/new", { source: "ask", message: CREATE_MARK }, "routes/support.new");
      if (reply.status !== 204) {
        errors += 1;
        firstError ||= `HTTP ${reply.status}: ${reply.text.slice(0, 200)}`;
      }
      if (i >= WARMUP) create.push(reply.ms);
    }
    const created = await q<{ id: string; n: string }>(
      "SELECT max(id)::text AS id, count(*) AS n FROM support_tickets WHERE customer_id = $1 AND message = $2",
      [customer.id, CREATE_MARK],
    );
    const lastTicket = created[0]?.id ?? "";
    if (Number(created[0]?.n ?? 0) !== WARMUP + REQUESTS) {
      errors += 1;
      firstError ||= `${created[0]?.n ?? 0} tickets created for ${WARMUP + REQUESTS} forms`;
    }
    const ticketReads: number[] = [];
    if (lastTicket) {
      await asStaff.page(`/support/tickets/${lastTicket}`);
      for (let i = 0; i < 20; i++) ticketReads.push((await asStaff.page(`/support/tickets/${lastTicket}?_data=routes%2Fsupport.tickets.%24id`)).ms);
    }
    say(`  support: ${WARMUP} + ${REQUESTS} queue reads…`);
    const queue: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const reply = await asStaff.page("/support?_data=routes%2Fsupport._index");
      if (reply.status !== 200) {
        errors += 1;
        firstError ||= `queue HTTP ${reply.status}`;
      }
      if (i >= WARMUP) queue.push(reply.ms);
    }
    const rssMiB = (processTreeMemory(server.pid)[0]?.rssKiB ?? 0) / 1024;
    const createP99 = percentile(create, 99);
    const queueP99 = percentile(queue, 99);
    const missed = [
      ...(createP99 > TARGET.createP99Ms ? [`ticket creation p99 ${createP99.toFixed(1)} ms > ${TARGET.createP99Ms} ms`] : []),
      ...(queueP99 > TARGET.queueP99Ms ? [`staff queue p99 ${queueP99.toFixed(1)} ms > ${TARGET.queueP99Ms} ms`] : []),
    ];
    const sections = process.env.BENCH_SECTIONS ? `BENCH_SECTIONS=${process.env.BENCH_SECTIONS} ` : "";
    const extra = [
      "| Figure | measured | target | |",
      "|--------|---------:|--------|---|",
      `| Ticket creation, customer with ${fmt(+steps)} journey steps in 7 days, p99 (p50 ${percentile(create, 50).toFixed(1)} ms, ${create.length} requests) | ${createP99.toFixed(1)} ms | ≤ ${TARGET.createP99Ms} ms | ${check(createP99, TARGET.createP99Ms)} |`,
      `| Staff queue with ${fmt(+open)} open tickets, p99 (p50 ${percentile(queue, 50).toFixed(1)} ms, ${queue.length} requests) | ${queueP99.toFixed(1)} ms | ≤ ${TARGET.queueP99Ms} ms | ${check(queueP99, TARGET.queueP99Ms)} |`,
      ticketReads.length ? `| Staff reading that ticket with its ${fmt(+steps)}-step timeline, p99 (p50 ${percentile(ticketReads, 50).toFixed(1)} ms, ${ticketReads.length} requests) | ${percentile(ticketReads, 99).toFixed(1)} ms | — | |` : "",
    ]
      .filter(Boolean)
      .join("\n");
    return {
      report: {
        id: "support",
        title: "Escalation: ticket creation and the staff queue on the large dataset (issue 20)",
        results: [],
        serverRssMiB: Math.round(rssMiB),
        database: `database \`${new URL(url).pathname.slice(1)}\` at ${new URL(url).host} (kept, not dropped)`,
        commands: [`BENCH_LARGE_DATABASE_URL=${masked(url)} ${sections}npm run bench`],
        facts: [
          `Journey: ${fmt(searches)} searches and ${fmt(addedViews.length)} thread views added for one seeded member over the last 7 days (removed afterwards)`,
          `Creation: the member loads /support/new (unmeasured, a fresh one-time token) and sends the form as Remix's client does (\`?_data=routes/support.new\`), one at a time; ${WARMUP} unmeasured first`,
          `Queue: ${fmt(TICKETS)} synthetic open tickets added (removed afterwards); a staff member reads the first page with the default filter, one request at a time, ${WARMUP} unmeasured first`,
          `Load average (1 min) at the end: ${os.loadavg()[0]!.toFixed(2)} on ${os.availableParallelism()} CPUs; other work on the machine lowers every figure`,
        ],
        extra,
        missed,
        invalid: errors ? [`${errors} requests failed (${firstError})`] : [],
      },
    };
  } finally {
    removeCleanup();
    await server?.stop();
    await cleanUp().catch((error: unknown) => say(`  Clean-up failed: ${String(error)}`));
    await client.end().catch(() => {});
  }
}
