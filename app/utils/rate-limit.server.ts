import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { Prisma } from "~/generated/prisma/client.ts";
import { getPool } from "./db.server.ts";
import { getEnv } from "./env.server.ts";

/**
 * Rate limits live in PostgreSQL so they hold across every app server (docs/decisions/006-rate-limits.md).
 * Each limiter is a named rule; the numbers are here and nowhere else.
 */
export const LIMITS = {
  /** Failed sign-ins for one account: 5 per 15 minutes, then locked until the window ends. */
  signInFailuresPerAccount: { points: 5, duration: 15 * 60 },
  /** Failed sign-ins from one address: 20 per 15 minutes. */
  signInFailuresPerIp: { points: 20, duration: 15 * 60 },
  /** Sign-ups from one address: 10 per hour. */
  signUpPerIp: { points: 10, duration: 60 * 60 },
  /** Password reset requests from one address: 5 per hour. */
  resetRequestsPerIp: { points: 5, duration: 60 * 60 },
  /** Images one member sends to POST /uploads (that pass the size and type checks): 20 per hour. */
  uploadsPerMember: { points: 20, duration: 60 * 60 },
  /** API requests with one key (issue 22): 600 a minute. */
  apiPerKey: { points: 600, duration: 60 },
  /** API requests without a key, per address: 120 a minute. */
  apiPerIp: { points: 120, duration: 60 },
} as const;

export type LimitName = keyof typeof LIMITS;

const limiters = new Map<LimitName, RateLimiterPostgres>();

/**
 * The limiter names its prepared statements. The embedded database serves every connection from one
 * backend, so a name prepared on one connection (or on a connection that was since closed) is
 * "already exists" on the next: the limiter's queries go through the shared pool as unnamed ones.
 */
function unnamedStatements() {
  return {
    query: (q: string | { text: string; values?: unknown[] }) => (typeof q === "string" ? getPool().query(q) : getPool().query({ text: q.text, values: q.values })),
  };
}

function limiter(name: LimitName): RateLimiterPostgres {
  let l = limiters.get(name);
  if (!l) {
    const { points, duration } = LIMITS[name];
    l = new RateLimiterPostgres({
      storeClient: unnamedStatements(),
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true, // created by the Prisma migration
      clearExpiredByTimeout: false, // a scheduled job clears expired rows
      keyPrefix: name,
      points,
      duration,
    });
    limiters.set(name, l);
  }
  return l;
}

export type LimitCheck = { limited: false } | { limited: true; retryAfterSeconds: number };
export type ConsumeResult = LimitCheck & {
  /** True when this point was the last one: the next attempt will be refused. */
  exhausted: boolean;
  retryAfterSeconds?: number;
  /** Points left in the window after this one (the API's RateLimit header); absent when limits are off. */
  remaining?: number;
};

/**
 * Spends one point of `name` for `key`. `limited` means the point was refused (the budget was
 * already used up); `exhausted` means this was the last point (counting failures: now locked).
 * Spend the point before the work it pays for (a password check): checking first and spending after
 * lets parallel requests all pass the check (ADR 006). There is deliberately no check-only function.
 */
export async function consume(name: LimitName, key: string): Promise<ConsumeResult> {
  if (!getEnv().RATE_LIMITS) return { limited: false, exhausted: false };
  try {
    const res = await limiter(name).consume(key);
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return { limited: false, exhausted: res.remainingPoints <= 0, retryAfterSeconds, remaining: res.remainingPoints };
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      return { limited: true, exhausted: true, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
    }
    throw error;
  }
}

/** Gives back one point spent by `consume()` (an attempt reserved before a check that then succeeded). */
export async function refund(name: LimitName, key: string): Promise<void> {
  if (!getEnv().RATE_LIMITS) return;
  await limiter(name).reward(key, 1);
}

/** Forgets the points of `key` (for example after a successful sign-in). */
export async function reset(name: LimitName, key: string): Promise<void> {
  if (!getEnv().RATE_LIMITS) return;
  await limiter(name).delete(key);
}

/** Whether limits are on (`RATE_LIMITS=off` turns every limit off, for load tests). */
export function limitsOn(): boolean {
  return getEnv().RATE_LIMITS;
}

/**
 * The point `consume(name, key)` spends, as a statement another statement can carry in a `WITH` clause, so a
 * hot path pays one round trip for its own read and its limit (the API's key check, ADR 074). `keys` is a
 * query whose one column is the key (no row: nothing is spent). Same row and arithmetic as the library
 * (`rate_limits`, key `name:key`, points and an expiry in ms since the epoch by the app server's clock; an
 * expired window starts again at 1), so `consume()` and the cleanup job see the same counters. It returns
 * `points` and `expire` for `spentPoint()`.
 */
export function spendPointSql(name: LimitName, keys: Prisma.Sql, nowMs: number): Prisma.Sql {
  const expire = nowMs + LIMITS[name].duration * 1000;
  return Prisma.sql`INSERT INTO rate_limits (key, points, expire) SELECT ${`${name}:`} || spend.key, 1, ${expire}::bigint FROM (${keys}) AS spend(key)
    ON CONFLICT (key) DO UPDATE SET
      points = CASE WHEN rate_limits.expire <= ${nowMs}::bigint THEN 1 ELSE rate_limits.points + 1 END,
      expire = CASE WHEN rate_limits.expire <= ${nowMs}::bigint THEN ${expire}::bigint ELSE rate_limits.expire END
    RETURNING points, expire`;
}

/** What `consume()` would have answered, from the `points` and `expire` that `spendPointSql` returned. */
export function spentPoint(name: LimitName, row: { points: number; expire: string | number | bigint }, nowMs: number): ConsumeResult {
  const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(Number(row.expire) - nowMs, 0) / 1000));
  const remaining = Math.max(LIMITS[name].points - row.points, 0);
  if (row.points > LIMITS[name].points) return { limited: true, exhausted: true, retryAfterSeconds };
  return { limited: false, exhausted: remaining <= 0, retryAfterSeconds, remaining };
}
