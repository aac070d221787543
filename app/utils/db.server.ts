import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client.ts";
import { getEnv } from "./env.server.ts";

declare global {
  // Survives module reloads in development so we do not open a new pool per rebuild.
  var __threadwiseDb: { pool: pg.Pool; prisma: PrismaClient; sidePool?: pg.Pool } | undefined;
}

function connect() {
  const env = getEnv();
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DB_POOL_SIZE, idleTimeoutMillis: 30_000 });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { pool, prisma };
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
 * One connection of its own for the rate limiter. It names its prepared statements, and the
 * embedded database serves every connection from one backend, where a second connection preparing
 * the same name fails with "statement already exists". Its queries are tiny; one connection is plenty.
 */
export function getSidePool(): pg.Pool {
  const db = instance();
  db.sidePool ??= new pg.Pool({ connectionString: getEnv().DATABASE_URL, max: 1, idleTimeoutMillis: 30_000 });
  return db.sidePool;
}

export async function disconnectDb(): Promise<void> {
  const db = globalThis.__threadwiseDb;
  globalThis.__threadwiseDb = undefined;
  if (db) {
    await db.prisma.$disconnect();
    await db.pool.end();
    await db.sidePool?.end();
  }
}

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
