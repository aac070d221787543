import { PrismaPg } from "@prisma/adapter-pg";
import crypto from "node:crypto";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client.ts";
import { getEnv, type Env } from "./env.server.ts";
import { logger } from "./logger.server.ts";

declare global {
  // Survives module reloads in development so we do not open a new pool per rebuild.
  var __threadwiseDb: { pool: pg.Pool; prisma: PrismaClient } | undefined;
}

function connect() {
  const env = getEnv();
  // Requests wait for the database a bounded while (DB_QUEUE_TIMEOUT_MS): for a connection from the
  // pool, and for their transaction to start (Prisma's maxWait, which covers both). Past it they fail
  // before anything is written, and the HTTP layer answers 503 with Retry-After (isDatabaseBusy).
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DB_POOL_SIZE, idleTimeoutMillis: 30_000, connectionTimeoutMillis: env.DB_QUEUE_TIMEOUT_MS });
  // An idle connection dropped by the server (a restart, a failover, an admin) must not crash the
  // process: pg emits 'error' on the pool, and an unhandled 'error' event would throw.
  pool.on("error", onIdleError);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: env.DB_QUEUE_TIMEOUT_MS } });
  return { pool, prisma };
}

function onIdleError(error: Error) {
  logger.warn({ code: (error as Error & { code?: string }).code, reason: error.message }, "an idle database connection was closed; the pool will open a new one");
}

function instance() {
  globalThis.__threadwiseDb ??= connect();
  return globalThis.__threadwiseDb;
}

/** The Prisma client: use it for reads and writes; raw SQL goes through `prisma.$queryRaw`. */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = instance().prisma as unknown as Record<string | symbol, unknown>;
    const value = client[prop];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(client) : value;
  },
});

/** The shared pg pool, for libraries that speak pg directly (the job queue, health checks). */
export function getPool(): pg.Pool {
  return instance().pool;
}

/**
 * A read on the hottest paths (search results, suggestions as one types, the session lookup, the thread
 * page, the question list), straight on the pg pool: Prisma's client adds about 0.6 ms of CPU to each
 * `$queryRaw` here (docs/decisions/027-http-responses.md). Rows come back as pg returns them (bigint as
 * string, arrays as arrays).
 *
 * `prepare: true` names the statement after its text, so each connection parses and plans it once and
 * keeps the plan (ADR 078): PostgreSQL spent 0.6-1.4 ms parsing and planning each of the thread page's
 * statements on every view. Only for statements whose text takes a bounded number of shapes (values always
 * as parameters), since a connection keeps every statement it prepared. Named only where that is safe: not
 * on the embedded database (every connection shares one backend, where names collide, ADR 002) and not when
 * DATABASE_URL is a pooler (DATABASE_DIRECT_URL set apart: PgBouncer 1.18 in transaction mode does not
 * track prepared statements, ADR 061). Elsewhere the statement is sent unnamed, as Prisma sends them.
 */
export async function rawQuery<Row extends Record<string, unknown>>(text: string, values: unknown[], options: { prepare?: boolean } = {}): Promise<Row[]> {
  const pool = instance().pool;
  const name = options.prepare && (await mayNameStatements(pool)) ? statementName(text) : undefined;
  const result = await pool.query<Row>({ text, values, name });
  return result.rows;
}

const statementNames = new Map<string, string>();

/** A statement's name: the same text always gets the same name, two texts never one (pg refuses a name reused for other text). */
export function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `tw_${crypto.createHash("sha256").update(text).digest("base64url").slice(0, 22)}`;
    // Opt-in statements have a bounded number of shapes; the bound here only keeps a mistake from growing memory.
    if (statementNames.size < 1_000) statementNames.set(text, name);
  }
  return name;
}

const namingAllowed = new WeakMap<pg.Pool, Promise<boolean>>();

/** Whether `pool`'s connections may keep named statements: a PostgreSQL server reached directly (see rawQuery). */
export function mayNameStatements(pool: pg.Pool = getPool(), env: Pick<Env, "DATABASE_URL" | "DATABASE_DIRECT_URL"> = getEnv()): Promise<boolean> {
  let known = namingAllowed.get(pool);
  if (!known) {
    const pooler = env.DATABASE_DIRECT_URL !== undefined && env.DATABASE_DIRECT_URL !== env.DATABASE_URL;
    known = pooler ? Promise.resolve(false) : isEmbeddedDatabase(pool).then((embedded) => !embedded);
    known.catch(() => namingAllowed.delete(pool));
    namingAllowed.set(pool, known);
  }
  return known;
}

/**
 * True for the errors of a database too busy to take this piece of work in time: no pooled connection
 * within DB_QUEUE_TIMEOUT_MS, a transaction that could not start within it (Prisma P2028), an
 * interactive transaction that outlived its timeout and was rolled back (also P2028), or a server out
 * of connections (53300, Prisma P2037). In each case nothing of the work was committed, so the request
 * can be answered 503 with Retry-After (docs/decisions/035-busy-database.md). Matched by code and
 * message, never by class: the HTTP server and the app bundle hold different copies of the libraries.
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const text = typeof message === "string" ? message : "";
    if (code === "P2028" && /Unable to start a transaction in the given time|expired transaction/.test(text)) return true;
    if (code === "P2037" || code === "53300") return true;
    if (/timeout exceeded when trying to connect/.test(text)) return true;
    // PgBouncer (ADR 061): no server connection free within query_wait_timeout, or its client limit reached.
    if (/query_wait_timeout|no more connections allowed \(max_client_conn\)/.test(text)) return true;
  }
  return false;
}

const embeddedPools = new WeakMap<pg.Pool, Promise<boolean>>();

/**
 * Whether `pool` reaches the embedded database (PGlite, docs/decisions/002-embedded-database.md) rather
 * than a PostgreSQL server: asked once per pool. There every connection shares one backend, so nothing
 * may use named prepared statements, and the database lives inside the one process that started it.
 */
export function isEmbeddedDatabase(pool: pg.Pool = getPool()): Promise<boolean> {
  let known = embeddedPools.get(pool);
  if (!known) {
    known = pool.query<{ v: string }>("SELECT version() AS v").then((r) => /PGlite/i.test(r.rows[0]?.v ?? ""));
    known.catch(() => embeddedPools.delete(pool));
    embeddedPools.set(pool, known);
  }
  return known;
}

export async function disconnectDb(): Promise<void> {
  const db = globalThis.__threadwiseDb;
  globalThis.__threadwiseDb = undefined;
  if (db) {
    await db.prisma.$disconnect();
    await db.pool.end();
  }
}

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
