/**
 * `npm run test:scale-out` (after `remix build`): the scale-out proof of issue 23 (ADR 062), run by .ci/run.
 *
 * On 127.0.0.1: PostgreSQL (DATABASE_URL, a role with CREATEDB: a fresh database is cloned for the run),
 * PgBouncer with deploy/pgbouncer.ini, two built app servers (DATABASE_URL through PgBouncer, the direct URL
 * for jobs, LISTEN and migrations) and nginx with deploy/nginx/upstream.conf and proxy.conf. For
 * SCALE_OUT_SECONDS (60) virtual users send page reads, searches, sign-ins, questions, answers, votes and
 * accepts through nginx, while server A is killed with SIGKILL and started again, and server B gets SIGTERM
 * and is started again after it exits. Then it checks, and prints:
 * - every acknowledged write is in the database (questions, answers, votes, accepts);
 * - no cached counter differs from its rows (app/cli/counter-checks.ts);
 * - `npm run reputation:verify` finds no drift;
 * - no request failed except those in flight on the killed server at the kill, and those nginx wrote to
 *   the killed server's just-closed keep-alive connections in the second after it (both counted);
 * - server B exited 0 after SIGTERM;
 * - a question posted through one server is found by the other's search within 5 s.
 * Exits 0 when all hold, 1 otherwise.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { COUNTER_CHECKS } from "~/cli/counter-checks.ts";
import { HttpClient } from "../support/app-server.ts";
import { createTestDatabase, prepareTemplate } from "../support/database.ts";
import { startNginx } from "../support/nginx.ts";
import { startPgBouncer } from "../support/pgbouncer.ts";
import { serveCommand } from "../support/server-process.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BASE_URL = process.env.DATABASE_URL;
const SECONDS = Number(process.env.SCALE_OUT_SECONDS ?? 60);
const USERS = Number(process.env.SCALE_OUT_USERS ?? 8);
const NGINX_PORT = Number(process.env.SCALE_OUT_NGINX_PORT ?? 8089);
const PGBOUNCER_PORT = Number(process.env.SCALE_OUT_PGBOUNCER_PORT ?? 6439);
const APP_PORTS = (process.env.SCALE_OUT_APP_PORTS ?? "3321,3322").split(",").map(Number) as [number, number];
const SESSION_SECRET = "scale-out-session-secret-0123456789abcdef";
const KILL_AT = 0.2;
const TERM_AT = 0.55;

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------------
// Processes
// ------------------------------------------------------------------------------------------------

type App = { name: string; port: number; child: ChildProcess; output: string; exit: Promise<number | null> };

function spawnApp(name: string, port: number, env: Record<string, string>, dataDir: string): App {
  const serve = serveCommand();
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...serve.env, ...env })) if (v !== undefined) childEnv[k] = v;
  delete childEnv.NODE_OPTIONS;
  Object.assign(childEnv, { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, MAIL_DIR: path.join(dataDir, "mail"), UPLOAD_DIR: path.join(dataDir, "uploads") });
  const child = spawn(serve.command, serve.args, { cwd: ROOT, env: childEnv as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const app: App = { name, port, child, output: "", exit: new Promise((resolve) => child.once("exit", (code) => resolve(code))) };
  child.stdout!.on("data", (d) => (app.output += d));
  child.stderr!.on("data", (d) => (app.output += d));
  return app;
}

async function ready(app: App, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) throw new Error(`${app.name} exited early (${app.child.exitCode}):\n${app.output}`);
    const r = await fetch(`http://127.0.0.1:${app.port}/readyz`).catch(() => null);
    if (r?.status === 200) return;
    await sleep(200);
  }
  throw new Error(`${app.name} was not ready within ${timeoutMs} ms:\n${app.output}`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // gone already
  }
}

// ------------------------------------------------------------------------------------------------
// Load
// ------------------------------------------------------------------------------------------------

type Sample = { kind: string; start: number; end: number; status: number; upstream: string; write: boolean };
type Member = { id: string; email: string; password: string };
type Written = { kind: "question" | "answer" | "vote" | "accept"; user: string; key: string; value?: string; outcome: "ack" | "unknown" | "refused"; at: number };

const samples: Sample[] = [];
const writes: Written[] = [];
const WORDS = ["export", "invoice", "billing", "password", "webhook", "factură", "导出", "csv", "login", "api"];

async function timed(kind: string, write: boolean, send: () => Promise<Response>): Promise<Response | null> {
  const start = Date.now();
  try {
    const response = await send();
    samples.push({ kind, start, end: Date.now(), status: response.status, upstream: response.headers.get("x-upstream") ?? "", write });
    return response;
  } catch {
    samples.push({ kind, start, end: Date.now(), status: 0, upstream: "", write });
    return null;
  }
}

function outcomeOf(response: Response | null): Written["outcome"] {
  if (!response || response.status >= 500) return "unknown";
  return response.status < 400 ? "ack" : "refused";
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

async function virtualUser(n: number, member: Member, base: string, db: pg.Pool, until: number, threadPaths: string[]): Promise<void> {
  const client = new HttpClient(base);
  await client.signIn(member.email, member.password);
  const dataOf = (p: string) => `${p}?_data=${encodeURIComponent(p.startsWith("/questions/new") ? "routes/questions.new" : "routes/questions.$id.$slug")}`;
  const formOf = async (page: string) => {
    const r = await timed("form page", false, () => client.get(page));
    const html = r && r.status === 200 ? await r.text() : "";
    const csrf = html.match(/name="csrf" value="([^"]+)"/)?.[1];
    const formToken = html.match(/name="formToken" value="([^"]+)"/)?.[1];
    return csrf ? { csrf, ...(formToken ? { formToken } : {}) } : null;
  };
  // Each member asks one question first: the thread where they accept answers.
  const title = `Scale-out question ${n}: why does the export stop? 导出 ${Date.now().toString(36)}`;
  let myThread: string | null = null;
  {
    const form = await formOf("/questions/new");
    const { rows } = await db.query<{ id: number }>("SELECT id FROM categories WHERE archived_at IS NULL ORDER BY position LIMIT 1");
    if (form) {
      const r = await timed("ask", true, () =>
        client.post(dataOf("/questions/new"), { ...form, title, categoryId: String(rows[0]!.id), tags: "billing", bodyText: `Question ${n} under load, with enough words to be a real question.` }, { csrf: form.csrf }),
      );
      writes.push({ kind: "question", user: member.id, key: title, outcome: outcomeOf(r), at: Date.now() });
      const { rows: mine } = await db.query<{ path: string }>("SELECT '/questions/' || id || '/' || slug AS path FROM threads WHERE title = $1", [title]);
      myThread = mine[0]?.path ?? null;
      if (myThread) threadPaths.push(myThread);
    }
  }
  let i = 0;
  while (Date.now() < until) {
    i += 1;
    const roll = Math.random();
    if (roll < 0.35) {
      await timed("page read", false, () => new HttpClient(base).get(pick(["/", "/questions", ...threadPaths])));
    } else if (roll < 0.5) {
      await timed("search", false, () => new HttpClient(base).get(`/search?q=${encodeURIComponent(pick(WORDS))}`));
    } else if (roll < 0.58) {
      await timed("sign-in", true, () => new HttpClient(base).post("/login", { email: member.email, password: member.password }));
    } else if (roll < 0.75) {
      const thread = pick(threadPaths.filter((p) => p !== myThread));
      const form = await formOf(thread);
      if (!form) continue;
      const marker = `so-${n}-${i}-${Date.now().toString(36)}`;
      const r = await timed("answer", true, () => client.post(dataOf(thread), { ...form, intent: "answer", bodyText: `Answer ${marker}: open Billing, then Invoices, then Export. Răspuns 回答.` }, { csrf: form.csrf }));
      writes.push({ kind: "answer", user: member.id, key: marker, outcome: outcomeOf(r), at: Date.now() });
    } else if (roll < 0.92) {
      const { rows } = await db.query<{ id: string; path: string }>(
        `SELECT p.id::text, '/questions/' || t.id || '/' || t.slug AS path FROM posts p JOIN threads t ON t.id = p.thread_id
         WHERE p.kind = 'answer' AND p.author_id <> $1 AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.post_id = p.id AND v.user_id = $1)
         ORDER BY random() LIMIT 1`,
        [member.id],
      );
      if (!rows[0]) continue;
      const form = await formOf(rows[0].path);
      if (!form) continue;
      const r = await timed("vote", true, () => client.post(dataOf(rows[0]!.path), { ...form, intent: "vote", postId: rows[0]!.id, value: "1" }, { csrf: form.csrf }));
      writes.push({ kind: "vote", user: member.id, key: rows[0].id, outcome: outcomeOf(r), at: Date.now() });
    } else if (myThread) {
      const { rows } = await db.query<{ id: string }>(
        `SELECT p.id::text FROM posts p JOIN threads t ON t.id = p.thread_id WHERE '/questions/' || t.id || '/' || t.slug = $1 AND p.kind = 'answer' ORDER BY random() LIMIT 1`,
        [myThread],
      );
      if (!rows[0]) continue;
      const form = await formOf(myThread);
      if (!form) continue;
      const r = await timed("accept", true, () => client.post(dataOf(myThread!), { ...form, intent: "accept", postId: rows[0]!.id }, { csrf: form.csrf }));
      writes.push({ kind: "accept", user: member.id, key: myThread, value: rows[0].id, outcome: outcomeOf(r), at: Date.now() });
    }
    await sleep(100);
  }
}

// ------------------------------------------------------------------------------------------------
// Main
// ------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  if (!BASE_URL) {
    say("Set DATABASE_URL to a PostgreSQL role that may CREATE DATABASE (the run clones a fresh database).");
    return 2;
  }
  if (!fs.existsSync(path.join(ROOT, "build/index.js"))) {
    say("Build first: npx remix build (npm run test:scale-out does).");
    return 2;
  }
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-scale-out-"));
  const cleanups: (() => Promise<void>)[] = [];
  const apps: { a?: App; b?: App } = {};
  try {
    await prepareTemplate(BASE_URL);
    const database = await createTestDatabase(BASE_URL);
    cleanups.push(() => database.drop());
    const direct = database.url;
    process.env.DATABASE_URL = direct;
    const bouncer = await startPgBouncer(direct, PGBOUNCER_PORT);
    cleanups.push(() => bouncer.stop());
    const env = {
      DATABASE_URL: bouncer.url(direct),
      DATABASE_DIRECT_URL: direct,
      SESSION_SECRET,
      APP_URL: `http://127.0.0.1:${NGINX_PORT}`,
      SECURE_COOKIES: "false",
      TRUST_PROXY: "loopback",
      PAGE_CACHE_SECONDS: "5",
      SHUTDOWN_DRAIN_SECONDS: "3",
      SHUTDOWN_TIMEOUT_SECONDS: "30",
      LOG_LEVEL: "warn",
    };
    const dirA = path.join(tmp, "a");
    const dirB = path.join(tmp, "b");
    apps.a = spawnApp("A", APP_PORTS[0], { ...env, SEED_DEMO: "true" }, dirA);
    await ready(apps.a);
    apps.b = spawnApp("B", APP_PORTS[1], env, dirB);
    await ready(apps.b);
    const nginx = await startNginx(path.join(tmp, "nginx"), NGINX_PORT, APP_PORTS);
    cleanups.push(() => nginx.stop());
    say(`Set up in ${((Date.now() - started) / 1000).toFixed(1)} s: PostgreSQL ${new URL(BASE_URL).port || 5432}, PgBouncer ${PGBOUNCER_PORT}, app servers ${APP_PORTS.join(" and ")}, nginx ${NGINX_PORT}.`);

    // Members who take part (established accounts, so the new-account limits do not apply).
    const { makeUser } = await import("../support/factories.ts");
    const members: Member[] = [];
    for (let i = 0; i < USERS; i++) members.push(await makeUser({ password: "scale-out pass phrase 1" }));
    const db = new pg.Pool({ connectionString: direct, max: 4 });
    cleanups.push(() => db.end());
    const { rows: threads } = await db.query<{ path: string }>(`SELECT '/questions/' || id || '/' || slug AS path FROM threads WHERE deleted_at IS NULL AND hidden_at IS NULL ORDER BY id LIMIT 20`);
    const threadPaths = threads.map((t) => t.path);
    const base = `http://127.0.0.1:${NGINX_PORT}`;

    const loadStart = Date.now();
    const until = loadStart + SECONDS * 1000;
    say(`Load: ${USERS} members for ${SECONDS} s through nginx; SIGKILL to A at ${Math.round(SECONDS * KILL_AT)} s, SIGTERM to B at ${Math.round(SECONDS * TERM_AT)} s.`);
    const load = Promise.all(members.map((m, n) => virtualUser(n, m, base, db, until, threadPaths)));

    const events: Record<string, number> = {};
    const chaos = (async () => {
      await sleep(SECONDS * KILL_AT * 1000);
      events.killA = Date.now();
      signalGroup(apps.a!.child, "SIGKILL");
      await apps.a!.exit;
      apps.a = spawnApp("A", APP_PORTS[0], env, dirA);
      await ready(apps.a);
      events.aBack = Date.now();
      await sleep(Math.max(0, loadStart + SECONDS * TERM_AT * 1000 - Date.now()));
      events.termB = Date.now();
      signalGroup(apps.b!.child, "SIGTERM");
      events.bExitCode = (await apps.b!.exit) ?? -1;
      events.bExited = Date.now();
      apps.b = spawnApp("B", APP_PORTS[1], env, dirB);
      await ready(apps.b);
      events.bBack = Date.now();
    })();
    await Promise.all([load, chaos]);
    const loadEnd = Date.now();

    // Jobs left by the killed server are released by the others (ADR 034); wait for the queue to empty.
    const drainStart = Date.now();
    for (;;) {
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE run_at <= now() AND attempts < max_attempts`);
      if (rows[0]!.n === 0 || Date.now() - drainStart > 120_000) break;
      await sleep(500);
    }
    const queueDrainS = (Date.now() - drainStart) / 1000;

    // 1. Acknowledged writes.
    const missing: string[] = [];
    for (const w of writes.filter((x) => x.outcome === "ack")) {
      if (w.kind === "question") {
        const { rowCount } = await db.query("SELECT 1 FROM threads WHERE title = $1 AND author_id = $2", [w.key, w.user]);
        if (rowCount !== 1) missing.push(`question "${w.key}"`);
      } else if (w.kind === "answer") {
        const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM posts WHERE kind = 'answer' AND author_id = $1 AND body_text LIKE $2", [w.user, `%${w.key}%`]);
        if (rows[0]!.n !== 1) missing.push(`answer ${w.key} (${rows[0]!.n} rows)`);
      } else if (w.kind === "vote") {
        const { rowCount } = await db.query("SELECT 1 FROM votes WHERE post_id = $1 AND user_id = $2 AND value = 1", [w.key, w.user]);
        if (rowCount !== 1) missing.push(`vote on ${w.key}`);
      }
    }
    // An accept: the thread's accepted answer is the last acknowledged one (or one whose reply was lost after it).
    const lastAccept = new Map<string, Written[]>();
    for (const w of writes.filter((x) => x.kind === "accept" && x.outcome !== "refused")) lastAccept.set(w.key, [...(lastAccept.get(w.key) ?? []), w]);
    for (const [thread, list] of lastAccept) {
      const lastAck = list.findLastIndex((w) => w.outcome === "ack");
      if (lastAck < 0) continue;
      const allowed = new Set(list.slice(lastAck).map((w) => w.value));
      const { rows } = await db.query<{ accepted: string | null }>("SELECT accepted_answer_id::text AS accepted FROM threads WHERE '/questions/' || id || '/' || slug = $1", [thread]);
      if (!allowed.has(rows[0]?.accepted ?? "")) missing.push(`accept on ${thread}: ${rows[0]?.accepted} not in ${[...allowed].join(",")}`);
    }

    // 2. Counters.
    const counterProblems: string[] = [];
    for (const [what, sql] of COUNTER_CHECKS) {
      const { rows } = await db.query(sql);
      const n = Number(Object.values(rows[0] as object)[0]);
      if (n !== 0) counterProblems.push(`${n} ${what}`);
    }

    // 3. reputation:verify.
    const verify = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["app/cli/reputation-verify.ts"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: direct, LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.on("exit", (code) => resolve({ code, output }));
    });

    // 4. Failed requests: only those in flight on the killed server when it died, and those nginx had just
    // written to it on a kept-alive connection the kill closed (it cannot resend a POST that reached a server;
    // within a second of the kill, before it notices the closed connections).
    const failed = samples.filter((s) => s.status === 0 || s.status >= 500);
    const killed = `127.0.0.1:${APP_PORTS[0]}`;
    const inFlightAtKill = failed.filter((s) => s.start <= events.killA! && s.end >= events.killA!);
    const sentToTheDead = failed.filter((s) => !inFlightAtKill.includes(s) && s.upstream.split(", ").at(-1) === killed && s.start >= events.killA! && s.start <= events.killA! + 1_000);
    const otherFailures = failed.filter((s) => !inFlightAtKill.includes(s) && !sentToTheDead.includes(s));

    // 5. Search across servers: asked through B, searched through A.
    const word = `scaleoutprobe${Date.now().toString(36).replace(/\d/g, (d) => "abcdefghij"[Number(d)]!)}`;
    const asker = new HttpClient(`http://127.0.0.1:${APP_PORTS[1]}`);
    await asker.signIn(members[0]!.email, members[0]!.password);
    const page = await (await asker.get("/questions/new")).text();
    const csrf = page.match(/name="csrf" value="([^"]+)"/)![1]!;
    const formToken = page.match(/name="formToken" value="([^"]+)"/)?.[1];
    const { rows: cats } = await db.query<{ id: number }>("SELECT id FROM categories WHERE archived_at IS NULL ORDER BY position LIMIT 1");
    const askedAt = Date.now();
    const asked = await asker.post(
      `/questions/new?_data=${encodeURIComponent("routes/questions.new")}`,
      { csrf, ...(formToken ? { formToken } : {}), title: `Where is the ${word} setting?`, categoryId: String(cats[0]!.id), tags: "billing", bodyText: `Looking for the ${word} option in the settings page.` },
      { csrf },
    );
    // Results highlight the query's words, so the result is recognised by its link.
    const { rows: probe } = await db.query<{ id: string }>("SELECT id::text FROM threads WHERE title = $1", [`Where is the ${word} setting?`]);
    if (asked.status >= 400 || !probe[0]) say(`The search probe could not ask its question: ${asked.status} ${await asked.text()}`);
    let foundAfterMs: number | null = null;
    while (probe[0] && Date.now() - askedAt < 10_000) {
      const html = await (await fetch(`http://127.0.0.1:${APP_PORTS[0]}/search?q=${word}`)).text();
      if (html.includes(`href="/questions/${probe[0].id}"`)) {
        foundAfterMs = Date.now() - askedAt;
        break;
      }
      await sleep(100);
    }

    // Figures.
    const by = (kind: string) => samples.filter((s) => s.kind === kind);
    const pct = (values: number[], p: number) => (values.length ? values.sort((x, y) => x - y)[Math.min(values.length - 1, Math.floor(values.length * p))]! : 0);
    say("");
    say(`Requests: ${samples.length} in ${((loadEnd - loadStart) / 1000).toFixed(1)} s (${(samples.length / ((loadEnd - loadStart) / 1000)).toFixed(1)}/s)`);
    for (const kind of ["page read", "search", "sign-in", "form page", "ask", "answer", "vote", "accept"]) {
      const list = by(kind);
      const lat = list.map((s) => s.end - s.start);
      say(`  ${kind.padEnd(10)} ${String(list.length).padStart(6)}  p50 ${String(pct(lat, 0.5)).padStart(5)} ms  p99 ${String(pct(lat, 0.99)).padStart(5)} ms  4xx ${list.filter((s) => s.status >= 400 && s.status < 500).length}  failed ${list.filter((s) => s.status === 0 || s.status >= 500).length}`);
    }
    const perServer = new Map<string, number>();
    for (const s of samples) perServer.set(s.upstream || "(none)", (perServer.get(s.upstream || "(none)") ?? 0) + 1);
    say(`  answered by: ${[...perServer].map(([k, v]) => `${k} ${v}`).join(", ")}`);
    say(`Server A: SIGKILL at ${((events.killA! - loadStart) / 1000).toFixed(1)} s, ready again after ${((events.aBack! - events.killA!) / 1000).toFixed(1)} s`);
    say(`Server B: SIGTERM at ${((events.termB! - loadStart) / 1000).toFixed(1)} s, exited ${events.bExitCode} after ${((events.bExited! - events.termB!) / 1000).toFixed(1)} s, ready again after ${((events.bBack! - events.termB!) / 1000).toFixed(1)} s`);
    const acked = writes.filter((w) => w.outcome === "ack").length;
    say(`Writes: ${acked} acknowledged, ${writes.filter((w) => w.outcome === "unknown").length} unknown (failed replies), ${writes.filter((w) => w.outcome === "refused").length} refused (4xx); missing: ${missing.length}`);
    for (const m of missing.slice(0, 20)) say(`  MISSING ${m}`);
    say(
      `Failed requests: ${failed.length}; in flight on A when it was killed: ${inFlightAtKill.length}; written by nginx to A's closed connections within 1 s of the kill: ${sentToTheDead.length}; others: ${otherFailures.length}`,
    );
    for (const f of otherFailures.slice(0, 20)) say(`  FAILED ${f.kind} ${f.status} at ${((f.start - loadStart) / 1000).toFixed(2)}-${((f.end - loadStart) / 1000).toFixed(2)} s via ${f.upstream || "?"}`);
    say(`Job queue empty ${queueDrainS.toFixed(1)} s after the load.`);
    say(`Counters: ${counterProblems.length === 0 ? "every counter equals its rows" : counterProblems.join("; ")}`);
    say(`reputation:verify: exit ${verify.code}${verify.code === 0 ? " (no drift)" : `\n${verify.output}`}`);
    say(`Search: a question asked through B was found through A after ${foundAfterMs === null ? "— (not within 10 s)" : `${foundAfterMs} ms`}`);

    const ok = missing.length === 0 && counterProblems.length === 0 && verify.code === 0 && otherFailures.length === 0 && events.bExitCode === 0 && foundAfterMs !== null && foundAfterMs <= 5_000 && acked > 0;
    say(ok ? "\nSCALE-OUT OK" : "\nSCALE-OUT FAILED");
    say(`Total ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    if (!ok && process.env.SCALE_OUT_VERBOSE) for (const app of [apps.a, apps.b]) if (app) say(`--- ${app.name} ---\n${app.output.slice(-4000)}`);
    return ok ? 0 : 1;
  } finally {
    for (const app of [apps.a, apps.b]) {
      if (!app || app.child.exitCode !== null) continue;
      signalGroup(app.child, "SIGTERM");
      await Promise.race([app.exit, sleep(40_000)]);
      signalGroup(app.child, "SIGKILL");
    }
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => say(`cleanup: ${String(error)}`));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
