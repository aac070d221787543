import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HttpClient } from "../support/app-server.ts";
import { formOf, routeIdOf } from "../support/form-submissions.ts";
import { startPgBouncer, type PgBouncer } from "../support/pgbouncer.ts";
import { killProcessGroup, startServerProcess, waitForExit, type ServerProcess } from "../support/server-process.ts";
import { until } from "../support/until.ts";
import { needsRealServer } from "../support/real-postgres.ts";

// Row locks held across connections, LISTEN between processes or PgBouncer: not on PGlite (real-postgres.ts).
needsRealServer();

/**
 * The built server with DATABASE_URL through a real PgBouncer 1.18 in transaction mode, started with the
 * repository's deploy/pgbouncer.ini (ADR 061), and DATABASE_DIRECT_URL to PostgreSQL itself for what needs
 * a session: migrations, graphile-worker (LISTEN, named prepared statements), the LISTEN connections.
 * A small pool (3 server connections) so that statements of different requests share server connections.
 */

const PORT = Number(process.env.PGBOUNCER_TEST_PORT ?? 6439);
let bouncer: PgBouncer;
let server: ServerProcess | undefined;
let db: pg.Client;

beforeAll(async () => {
  const direct = process.env.DATABASE_URL!;
  bouncer = await startPgBouncer(direct, PORT, { default_pool_size: 3, reserve_pool_size: 0, max_db_connections: 3 });
  server = await startServerProcess({ DATABASE_URL: bouncer.url(direct), DATABASE_DIRECT_URL: direct, SEED_DEMO: "true", PAGE_CACHE_SECONDS: "0", DB_POOL_SIZE: "8" });
  db = new pg.Client({ connectionString: direct });
  await db.connect();
}, 180_000);

afterAll(async () => {
  await db?.end();
  if (server) {
    killProcessGroup(server.child, "SIGTERM");
    await waitForExit(server.child);
  }
  await bouncer?.stop();
});

describe("through PgBouncer in transaction mode", () => {
  test("sign-ins, rate limits, questions, answers, votes and reads work under concurrency, and a new question is searchable", async () => {
    const member = new HttpClient(server!.url);
    // A failed sign-in goes through the rate limiter (its statements are unnamed), then the right password works.
    const wrong = await member.post("/login", { email: "member@threadwise.demo", password: "not the password" });
    expect(wrong.status).toBe(400);
    await member.signIn("member@threadwise.demo", "demo-member-pass");

    const { rows: categories } = await db.query<{ id: number }>(`SELECT id FROM categories WHERE archived_at IS NULL ORDER BY position LIMIT 1`);
    const title = "Pooled exporturi facturi 池化 zebrafinch";
    const form = await formOf(member, "/questions/new", { title, categoryId: String(categories[0]!.id), tags: "billing", bodyText: "Does the invoice export work when the server pools its connections?" });
    const asked = await member.post(`/questions/new?_data=${encodeURIComponent(routeIdOf("/questions/new"))}`, form, { csrf: form.csrf });
    expect(asked.status).toBeLessThan(400);

    // Twenty requests at once over three server connections: reads, votes and answers interleave.
    const { rows: threads } = await db.query<{ path: string; answer: string }>(
      `SELECT '/questions/' || t.id || '/' || t.slug AS path, min(p.id)::text AS answer FROM threads t JOIN posts p ON p.thread_id = t.id AND p.kind = 'answer'
       JOIN users u ON u.id = p.author_id AND u.email_normalized <> 'member@threadwise.demo' GROUP BY t.id ORDER BY t.id LIMIT 4`,
    );
    const work: Promise<number>[] = [];
    for (const [i, t] of threads.entries()) {
      work.push(member.get(t.path).then((r) => r.status));
      work.push(new HttpClient(server!.url).get(`/search?q=export`).then((r) => r.status));
      work.push(new HttpClient(server!.url).get(`/questions?page=${i + 1}`).then((r) => r.status));
      const voteForm = await formOf(member, t.path, { intent: "vote", postId: t.answer, value: "1" });
      work.push(member.post(`${t.path}?_data=${encodeURIComponent(routeIdOf(t.path))}`, voteForm, { csrf: voteForm.csrf }).then((r) => r.status));
      const answerForm = await formOf(member, t.path, { intent: "answer", bodyText: `Pooled answer ${i}: open Billing, then Invoices, then Export.` });
      work.push(member.post(`${t.path}?_data=${encodeURIComponent(routeIdOf(t.path))}`, answerForm, { csrf: answerForm.csrf }).then((r) => r.status));
    }
    const statuses = await Promise.all(work);
    expect(statuses.filter((s) => s >= 400)).toEqual([]);
    const { rows: answers } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM posts WHERE kind = 'answer' AND body_text LIKE 'Pooled answer %'`);
    expect(answers[0]!.n).toBe(threads.length);

    // The job queue runs on the direct URL: the question's search document is written and found.
    await until("the new question in search", 30_000, async () => (await (await new HttpClient(server!.url).get("/search?q=zebrafinch")).text()).includes("Pooled exporturi facturi"));

    // The LISTEN connections are sessions on PostgreSQL itself, and they hear NOTIFY.
    const { rows: listeners } = await db.query<{ application_name: string }>(
      `SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' ORDER BY 1`,
    );
    expect(listeners.map((l) => l.application_name)).toContain("threadwise-cache-signals");
    expect(server!.output()).not.toMatch(/prepared statement|26000|42P05/);
  }, 120_000);

  test("the pooler never opens more server connections than its pool allows", async () => {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'
         AND application_name NOT LIKE 'threadwise-%' AND pid <> pg_backend_pid()`,
    );
    // The direct connections name themselves (threadwise-jobs, -cache-signals, -live-counts); the rest are PgBouncer's.
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(rows[0]!.n).toBeLessThanOrEqual(3);
  });
});
