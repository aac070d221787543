import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, test } from "vitest";
import { freePort } from "~/server/embedded-postgres.ts";
import { HttpClient } from "../support/app-server.ts";
import { killProcessGroup, startServerProcess, waitForExit, type ServerProcess } from "../support/server-process.ts";
import { until } from "../support/until.ts";
import { needsRealServer } from "../support/real-postgres.ts";

// Row locks held across connections, LISTEN between processes or PgBouncer: not on PGlite (real-postgres.ts).
needsRealServer();

/**
 * A server killed with -9 while its job worker held a job: graphile-worker would only release that lock
 * after 4 hours, so the event stayed unhandled (and `reputation:verify` reported drift). Now workers are
 * registered in job_workers with a heartbeat; a restarted server releases the jobs of workers that no
 * longer run (docs/decisions/034-job-worker-lifecycle.md), within a minute.
 */

/** A query that gives up after `ms` (the embedded database freezes while a handler sleeps in it). */
function queryWithin<R extends pg.QueryResultRow>(client: pg.Client, ms: number, text: string, values: unknown[] = []): Promise<pg.QueryResult<R> | "timeout"> {
  return Promise.race([client.query<R>(text, values), new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms))]);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {}); // the server it talks to is killed on purpose
  await client.connect();
  return client;
}

async function crashWhileAJobIsLocked(env: Record<string, string | undefined>, databaseUrl: () => string) {
  let first: ServerProcess | undefined = await startServerProcess(env);
  let second: ServerProcess | undefined;
  try {
    const db = await connect(databaseUrl());
    const member = new HttpClient(first.url);
    await member.signIn("member@threadwise.demo", "demo-member-pass");
    const { rows } = await db.query<{ post_id: string; path: string }>(
      `SELECT p.id::text AS post_id, '/questions/' || t.id || '/' || t.slug AS path
       FROM posts p JOIN threads t ON t.id = p.thread_id JOIN users u ON u.email_normalized = 'member@threadwise.demo'
       WHERE p.kind = 'answer' AND p.author_id <> u.id AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.post_id = p.id AND v.user_id = u.id)
       ORDER BY p.id LIMIT 1`,
    );
    const target = rows[0]!;
    const csrf = await member.csrfToken(target.path);
    // Let the demo seed's jobs finish, so the only job left is the vote's. Jobs scheduled for later (a
    // notification e-mail waits NOTIFICATION_MAIL_DELAY_SECONDS for the member to read it in the app) are not due.
    await until("an idle queue", 60_000, async () => (await db.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE attempts < max_attempts AND run_at <= now()`)).rows[0].n === 0);
    const [{ last }] = (await db.query<{ last: string }>(`SELECT coalesce(max(id), 0)::text AS last FROM domain_events`)).rows;
    // Every handler of the vote sleeps in the database until `wakeAt`: its job stays locked meanwhile.
    const wakeAt = new Date(Date.now() + 15_000).toISOString();
    await db.query(`
      CREATE FUNCTION test_slow_handling() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_sleep(greatest(0, extract(epoch FROM '${wakeAt}'::timestamptz - clock_timestamp())));
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER test_slow_handling BEFORE INSERT ON event_handlings FOR EACH ROW EXECUTE FUNCTION test_slow_handling()`);

    const vote = await member.post(`${target.path}?_data=${encodeURIComponent("routes/questions.$id.$slug")}`, { intent: "vote", postId: target.post_id, value: "1" }, { csrf });
    expect(vote.status).toBe(200);

    // Locked: seen in the jobs table, or the embedded database (in the server's process) stopped
    // answering because the handler is asleep in it.
    await until("the vote's job to be locked", 30_000, async () => {
      const result = await queryWithin<{ n: number }>(db, 3_000, `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'handle-event' AND locked_by IS NOT NULL`);
      return result === "timeout" || result.rows[0]!.n > 0;
    });
    killProcessGroup(first.child, "SIGKILL");
    await waitForExit(first.child);
    first = undefined;
    void db.end().catch(() => {});

    const restartedAt = Date.now();
    second = await startServerProcess(env);
    const db2 = await connect(databaseUrl());
    try {
      const handledAfter = await until("the vote to be handled", 75_000, async () => {
        const { rows: handled } = await db2.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM domain_events e JOIN event_handlings h ON h.event_id = e.id WHERE e.id > $1 AND e.type = 'vote.cast'`,
          [last],
        );
        return handled[0]!.n > 0 && Date.now() - restartedAt;
      });
      expect(handledAfter).toBeLessThan(60_000);
      expect(second.output()).toContain("released the jobs of workers that no longer run");
    } finally {
      await db2.end().catch(() => {});
    }
  } finally {
    for (const server of [first, second]) {
      if (!server) continue;
      killProcessGroup(server.child, "SIGTERM");
      await waitForExit(server.child);
    }
  }
}

describe("jobs locked by a server killed with -9 run again within a minute of the restart", () => {
  test("on the PostgreSQL server in DATABASE_URL", async () => {
    const url = process.env.DATABASE_URL!;
    await crashWhileAJobIsLocked({ DATABASE_URL: url, SEED_DEMO: "true" }, () => url);
  }, 240_000);

  test("on the embedded database kept in the data directory", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-crash-"));
    const port = await freePort();
    try {
      await crashWhileAJobIsLocked(
        { DATABASE_URL: undefined, DATA_DIR: dataDir, MAIL_DIR: path.join(dataDir, "mail"), EMBEDDED_DB_PORT: String(port) },
        () => `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
