import { execFileSync } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HttpClient } from "../support/app-server.ts";
import { formOf, routeIdOf } from "../support/form-submissions.ts";
import { killProcessGroup, startServerProcess, waitForExit, type ServerProcess } from "../support/server-process.ts";
import { until } from "../support/until.ts";
import { needsRealServer } from "../support/real-postgres.ts";

// Row locks held across connections, LISTEN between processes or PgBouncer: not on PGlite (real-postgres.ts).
needsRealServer();

/**
 * SIGTERM to a built server (ADR 062): /readyz turns 503 first, then the listener closes, the request in
 * flight (a vote held up by a row lock the test owns) still finishes and is committed, and the process
 * exits 0 within its deadline. And a server whose event loop is busy when SIGTERM arrives does the same
 * (the `serve` script runs node itself: the tsx launcher used to SIGKILL a child that did not answer its
 * signal relay within 60 ms, a 143 exit and a lost request in the scale-out run).
 */

let server: ServerProcess | undefined;
let db: pg.Client;

beforeAll(async () => {
  // A deadline longer than the test's wait for the exit: a shutdown that waits for it exits 1 and fails the test.
  server = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL, SEED_DEMO: "true", SHUTDOWN_DRAIN_SECONDS: "2", SHUTDOWN_TIMEOUT_SECONDS: "60" });
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
}, 180_000);

afterAll(async () => {
  await db?.end().catch(() => {});
  if (server && server.child.exitCode === null) {
    killProcessGroup(server.child, "SIGKILL");
    await waitForExit(server.child);
  }
});

describe("graceful shutdown", () => {
  test("on SIGTERM /readyz answers 503, new connections are refused, the vote in flight is committed, and the process exits 0", async () => {
    const member = new HttpClient(server!.url);
    await member.signIn("member@threadwise.demo", "demo-member-pass");
    const { rows } = await db.query<{ post_id: string; path: string }>(
      `SELECT p.id::text AS post_id, '/questions/' || t.id || '/' || t.slug AS path
       FROM posts p JOIN threads t ON t.id = p.thread_id JOIN users u ON u.email_normalized = 'member@threadwise.demo'
       WHERE p.kind = 'answer' AND p.author_id <> u.id AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.post_id = p.id AND v.user_id = u.id)
       ORDER BY p.id LIMIT 1`,
    );
    const target = rows[0]!;
    const form = await formOf(member, target.path, { intent: "vote", postId: target.post_id, value: "1" });

    // The test holds the post's row: the vote waits for it inside the server.
    await db.query("BEGIN");
    await db.query("SELECT id FROM posts WHERE id = $1 FOR UPDATE", [target.post_id]);
    const vote = member.post(`${target.path}?_data=${encodeURIComponent(routeIdOf(target.path))}`, form, { csrf: form.csrf });
    // Watched from another connection (pg_stat_activity is a snapshot within the locking transaction).
    const watch = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await watch.connect();
    await until("the vote to wait for the row lock", 10_000, async () => {
      const { rows: waiting } = await watch.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      return waiting[0]!.n > 0;
    });
    await watch.end();

    // An open event stream (the bell) is not a request in flight: it must not hold the shutdown to its deadline.
    const stream = await fetch(`${server!.url}/notifications/stream`, { headers: { Cookie: member.cookieHeader(), Accept: "text/event-stream" } });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const streamEnded = stream.body!.pipeTo(new WritableStream()).then(
      () => "ended",
      () => "ended",
    );

    killProcessGroup(server!.child, "SIGTERM");
    const readyz = await until("/readyz to answer 503", 2_000, async () => {
      const r = await fetch(`${server!.url}/readyz`).catch(() => null);
      return r && r.status === 503 ? r : undefined;
    });
    expect(await readyz.json()).toEqual({ status: "draining" });
    // After the drain the listener is closed: new connections are refused (the balancer tries the other server).
    await until("the listener to close", 5_000, async () => (await fetch(`${server!.url}/healthz`).then(() => false, () => true)) || undefined);
    expect(server!.child.exitCode).toBeNull();

    await db.query("COMMIT");
    const answered = await vote;
    expect(answered.status).toBe(200);
    await waitForExit(server!.child);
    expect(server!.child.exitCode).toBe(0);
    expect(await streamEnded).toBe("ended");
    const { rows: votes } = await db.query(`SELECT 1 FROM votes v JOIN users u ON u.id = v.user_id WHERE v.post_id = $1 AND u.email_normalized = 'member@threadwise.demo'`, [target.post_id]);
    expect(votes).toHaveLength(1);
    expect(server!.output()).toContain("No request in flight");
  }, 120_000);

  test("a server whose event loop is busy when SIGTERM arrives still shuts down gracefully and exits 0", async () => {
    const busy = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL, SHUTDOWN_DRAIN_SECONDS: "0", SHUTDOWN_TIMEOUT_SECONDS: "30" });
    try {
      const port = new URL(busy.url).port;
      // The process that holds the listening socket: the server itself, wherever `npm run serve` put it.
      const sockets = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
      const listener = Number(/pid=(\d+)/.exec(sockets)?.[1]);
      expect(listener, sockets).toBeGreaterThan(0);
      // Stopped, it cannot run a line of JavaScript: as busy as a server can be. The supervisor's SIGTERM goes
      // to the process it started; the server handles it once it runs again.
      process.kill(listener, "SIGSTOP");
      process.kill(busy.child.pid!, "SIGTERM");
      await new Promise((r) => setTimeout(r, 500));
      process.kill(listener, "SIGCONT");
      await waitForExit(busy.child);
      expect(busy.child.exitCode, busy.output()).toBe(0);
      expect(busy.output()).toContain("Stopped.");
    } finally {
      if (busy.child.exitCode === null) {
        killProcessGroup(busy.child, "SIGKILL");
        await waitForExit(busy.child);
      }
    }
  }, 120_000);
});
