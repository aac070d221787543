import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client.ts";
import { getEnv } from "./env.server.ts";
import { logger } from "./logger.server.ts";

declare global {
  // Survives module reloads in development so we do not open a new pool per rebuild.
  var __threadwiseDb: { pool: pg.Pool; prisma: PrismaClient } | undefined;
}

function connect() {
  const env = getEnv();
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DB_POOL_SIZE, idleTimeoutMillis: 30_000 });
  // An idle connection dropped by the server (a restart, a failover, an admin) must not crash the
  // process: pg emits 'error' on the pool, and an unhandled 'error' event would throw.
  pool.on("error", onIdleError);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
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
 * A read on the hottest paths (search results, suggestions as one types), straight on the pg pool:
 * Prisma's client adds about 0.6 ms of CPU to each `$queryRaw` here (docs/decisions/027-http-responses.md).
 * Unnamed statements, as Prisma sends them: named ones would keep their plan, but the embedded
 * database serves every connection from one backend, where a statement prepared by one connection
 * collides with the next. Rows come back as pg returns them (bigint as string, arrays as arrays).
 */
export async function rawQuery<Row extends Record<string, unknown>>(text: string, values: unknown[]): Promise<Row[]> {
  const result = await instance().pool.query<Row>({ text, values });
  return result.rows;
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
