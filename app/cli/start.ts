/**
 * `npm start` (production build) and `npm run dev` (rebuilds on change): starts the embedded
 * PostgreSQL unless DATABASE_URL is set, applies migrations, seeds the demo on the first start,
 * serves the app, and runs the job queue in-process unless JOBS_IN_PROCESS=false.
 */
// First: NODE_ENV and V8 heap growth, before React and friends are loaded by the imports below.
import "./process-setup.ts";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "~/server/embedded-postgres.ts";
import { createLifecycle, shutDownGracefully, trackRequests } from "~/server/graceful-shutdown.ts";
import { createHttpApp } from "~/server/http-server.ts";
import { migrateDatabase } from "~/server/migrate.ts";
import { DEMO_ACCOUNTS } from "~/modules/demo/demo-accounts.ts";
import type { Runtime } from "~/utils/runtime.server.ts";

const dev = process.argv.includes("--dev");
const DATA_DIR = path.resolve(process.env.DATA_DIR ?? ".data");

const shutdownHooks: (() => Promise<void>)[] = [];

/** Work to do after the server and jobs have stopped, before the process exits (tests drop their database here). */
export function addShutdownHook(hook: () => Promise<void>) {
  shutdownHooks.push(hook);
}

function say(line: string) {
  process.stdout.write(`${line}\n`);
}

async function main() {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  if (!process.env.SESSION_SECRET) {
    const file = path.join(DATA_DIR, "session-secret");
    if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString("hex"), { mode: 0o600 });
    process.env.SESSION_SECRET = fs.readFileSync(file, "utf8").trim();
  }
  // Links in e-mails use APP_URL, never the request's Host header (which a client can forge).
  process.env.APP_URL ??= `http://localhost:${process.env.PORT ?? 3000}`;
  const appUrl = process.env.APP_URL;
  // A local demo over plain HTTP cannot use Secure cookies; behind HTTPS they are on.
  process.env.SECURE_COOKIES ??= appUrl.startsWith("https://") ? "true" : "false";

  let embedded: EmbeddedPostgres | undefined;
  if (!process.env.DATABASE_URL) {
    say(`Starting the embedded PostgreSQL (data in ${path.relative(process.cwd(), DATA_DIR)}/pg)…`);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, "pg"), port: Number(process.env.EMBEDDED_DB_PORT ?? 0) || undefined });
    process.env.DATABASE_URL = embedded.url;
    process.env.DB_POOL_SIZE ??= "4";
  }
  // Migrations take session advisory locks: on the direct URL when the app goes through PgBouncer (ADR 061).
  await migrateDatabase(process.env.DATABASE_DIRECT_URL || process.env.DATABASE_URL, say);

  const buildPath = path.resolve("build/index.js");
  let watcher: ReturnType<typeof spawn> | undefined;
  if (dev) {
    watcher = spawn(path.resolve("node_modules/.bin/remix"), ["watch"], { stdio: "inherit" });
    while (!fs.existsSync(buildPath)) await new Promise((r) => setTimeout(r, 200));
  }
  let build: ServerBuild = await import(pathToFileURL(buildPath).href);
  let builtAt = fs.statSync(buildPath).mtimeMs;
  const getBuild = async () => {
    if (dev) {
      const mtime = fs.statSync(buildPath).mtimeMs;
      if (mtime !== builtAt) {
        builtAt = mtime;
        build = await import(`${pathToFileURL(buildPath).href}?t=${mtime}`);
      }
    }
    return build;
  };
  const runtime = (build.entry.module as unknown as { runtime: Runtime }).runtime;

  // The queue's schema is needed by every server (they enqueue jobs), even one that runs none,
  // and before the first request can arrive.
  await runtime.migrateJobs();

  // Demo accounts have published passwords: only on the embedded demo database, or when asked for.
  const demo = !!embedded || process.env.SEED_DEMO === "true";
  const { seedDemo } = await import("~/modules/demo/seed-demo.server.ts");
  const seedStarted = Date.now();
  const seeded = demo ? await seedDemo() : false;
  const seedMs = Date.now() - seedStarted;

  const { logger } = await import("~/utils/logger.server.ts");
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "0.0.0.0";
  const drainMs = dev ? 0 : seconds("SHUTDOWN_DRAIN_SECONDS", process.env.SHUTDOWN_DRAIN_SECONDS, 5, 0, 120) * 1000;
  const deadlineMs = seconds("SHUTDOWN_TIMEOUT_SECONDS", process.env.SHUTDOWN_TIMEOUT_SECONDS, 30, 1, 600) * 1000;
  const lifecycle = createLifecycle();
  const requests = trackRequests(lifecycle);
  const app = createHttpApp({
    lifecycle,
    requests,
    getBuild,
    mode: dev ? "development" : "production",
    logger,
    runtime,
    secure: process.env.SECURE_COOKIES === "true",
    trustProxy: process.env.TRUST_PROXY,
    pageCacheSeconds: dev ? 0 : pageCacheSeconds(process.env.PAGE_CACHE_SECONDS),
  });
  const server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
  // The handlers come first: /readyz answers from here on, and a supervisor's SIGTERM while the jobs start
  // must stop the server gracefully, not kill it with the signal's default action.
  let started: Promise<void> = Promise.resolve();
  // SIGTERM: /readyz 503 and drain, stop listening, finish in-flight requests, then jobs, within a
  // deadline (app/server/graceful-shutdown.ts, ADR 062). Exit 0 when everything finished in time.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`Received ${signal}, shutting down…`);
    watcher?.kill();
    // A signal during start-up waits for the jobs to have started, then stops them like any other time.
    await started.catch(() => {});
    const code = await shutDownGracefully({
      lifecycle,
      server,
      requests,
      drainMs,
      deadlineMs,
      log: say,
      stopWork: async () => {
        await runtime.stopJobs().catch(() => {});
        await runtime.disconnectDb().catch(() => {});
      },
    });
    await embedded?.stop().catch(() => {});
    for (const hook of shutdownHooks) await hook().catch(() => {});
    say(code === 0 ? "Stopped." : "Stopped before everything finished.");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  started = (async () => {
    if (process.env.JOBS_IN_PROCESS !== "false") await runtime.startJobs();
    // Caches of this process are cleared when another app server changes what they hold (ADR 060).
    await runtime.startCacheSignals();
  })();
  await started;

  const shown = appUrl;
  say("");
  say(`Threadwise is running at ${shown}  (${dev ? "development" : "production"} mode${embedded ? ", embedded database" : ""})`);
  if (seeded) say(`Demo content was created on this first start (${(seedMs / 1000).toFixed(1)} s).`);
  if (demo) {
    say("Demo sign-ins:");
    for (const a of DEMO_ACCOUNTS) say(`  ${a.role.padEnd(10)} ${a.email.padEnd(28)} ${a.password}`);
  }
  say("");

}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/** PAGE_CACHE_SECONDS: 0-60, default 5 (docs/decisions/025-anonymous-page-cache.md). */
function pageCacheSeconds(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 5;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 60) throw new Error(`PAGE_CACHE_SECONDS must be a number of seconds from 0 to 60, not "${raw}"`);
  return value;
}

/** A whole number of seconds from the environment, within bounds (SHUTDOWN_DRAIN_SECONDS, SHUTDOWN_TIMEOUT_SECONDS). */
function seconds(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number of seconds from ${min} to ${max}, not "${raw}"`);
  return value;
}
