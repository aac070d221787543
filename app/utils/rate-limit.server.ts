import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
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
