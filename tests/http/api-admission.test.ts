import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiKey, revokeApiKey } from "~/modules/api/api-keys.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { startQueryCounter, type QueryCounter } from "../bench/lib/query-counter.ts";
import { startAppServer } from "../support/app-server.ts";
import { makeCategory, makeQuestion, makeUser } from "../support/factories.ts";
import { killProcessGroup, startServerProcess, waitForExit, type ServerProcess } from "../support/server-process.ts";

/**
 * How an API request is let in (issue 22, ADR 074), on two app servers sharing one PostgreSQL database as
 * behind a load balancer: A runs in this process, B is a real server process whose every statement passes
 * through a counting proxy. One statement checks the key and its members, spends the key's rate-limit point
 * and records its last use; a revoked key or a suspended member stops at once on both servers; the per-key
 * limit holds across both (the counter is one row in PostgreSQL, not a number in either process).
 */
let a: Awaited<ReturnType<typeof startAppServer>>;
let b: ServerProcess | undefined;
let counter: QueryCounter;
let db: pg.Client;

beforeAll(async () => {
  a = await startAppServer();
  counter = await startQueryCounter(process.env.DATABASE_URL!);
  b = await startServerProcess({ DATABASE_URL: counter.url, JOBS_IN_PROCESS: "false" });
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
}, 240_000);

afterAll(async () => {
  await db?.end();
  if (b) {
    killProcessGroup(b.child, "SIGTERM");
    await waitForExit(b.child);
  }
  await counter?.close();
  await a?.close();
});

const actorOf = (u: { id: string; role?: string }): Actor => ({ id: u.id, role: (u.role ?? "member") as Actor["role"], status: "active" });

async function newKey(scope: "read" | "write" = "read") {
  const member = await makeUser();
  const made = await createApiKey(actorOf(member), { name: "Integration 集成", scope });
  if (!made.ok || !made.value.token) throw new Error(JSON.stringify(made));
  return { member, id: made.value.id, token: made.value.token };
}

const get = (origin: string, path: string, token: string) => fetch(origin + path, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });

async function points(keyId: string): Promise<number | null> {
  const { rows } = await db.query<{ points: number }>(`SELECT points FROM rate_limits WHERE key = $1`, [`apiPerKey:${keyId}`]);
  return rows[0]?.points ?? null;
}

describe("letting an API request in", () => {
  test("a request with a key costs one statement for the key, its members, its rate-limit point and its last use; the list is one more", async () => {
    const category = await makeCategory();
    await makeQuestion((await makeUser()).id, { title: "Cum export facturile în CSV?", categoryId: category.id, tags: ["facturi", "导出"] });
    const key = await newKey();
    expect((await get(b!.url, "/api/v1/questions", key.token)).status).toBe(200); // warm: the last use is written now
    const requests = 3;
    counter.reset();
    for (let i = 0; i < requests; i += 1) {
      const res = await get(b!.url, "/api/v1/questions", key.token);
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit")).toMatch(new RegExp(`^"apiPerKey";r=${600 - 2 - i};t=\\d+$`));
      await res.arrayBuffer();
    }
    const seen = counter.snapshot();
    const admission = [...seen.texts].filter(([text]) => /\bapi_keys\b|\brate_limits\b/.test(text));
    expect(admission).toHaveLength(1);
    expect(admission[0]![0]).toMatch(/\bapi_keys\b[\s\S]*\brate_limits\b/);
    expect(admission[0]![1]).toBe(requests);
    const lists = [...seen.texts].filter(([text]) => /\bthread_tags\b/.test(text));
    expect(lists.map(([, n]) => n)).toEqual([requests]);
    expect(seen.control).toBe(0);
    expect(await points(key.id)).toBe(requests + 1);
  });

  test("the per-key limit holds across two app servers: 600 a minute in all, then 429 with Retry-After on both; a new window starts afresh", async () => {
    const key = await newKey();
    // 597 of the minute's 600 already spent (on any server: the counter is the row).
    await db.query(`INSERT INTO rate_limits (key, points, expire) VALUES ($1, 597, $2)`, [`apiPerKey:${key.id}`, Date.now() + 45_000]);
    const seen: string[] = [];
    for (const origin of [a.url, b!.url, a.url]) {
      const res = await get(origin, "/api/v1/questions", key.token);
      expect(res.status).toBe(200);
      seen.push(res.headers.get("ratelimit")!);
    }
    expect(seen.map((h) => /;r=(\d+);/.exec(h)?.[1])).toEqual(["2", "1", "0"]);
    for (const origin of [b!.url, a.url]) {
      const refused = await get(origin, "/api/v1/questions", key.token);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(refused.headers.get("ratelimit-policy")).toBe('"apiPerKey";q=600;w=60');
      expect(refused.headers.get("ratelimit")).toMatch(/^"apiPerKey";r=0;t=(4[0-5]|3\d)$/);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(30);
    }
    // The minute is over: the next request starts a new window.
    await db.query(`UPDATE rate_limits SET expire = $2 WHERE key = $1`, [`apiPerKey:${key.id}`, Date.now() - 1]);
    const fresh = await get(b!.url, "/api/v1/questions", key.token);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("ratelimit")).toBe('"apiPerKey";r=599;t=60');
    expect(await points(key.id)).toBe(1);
  });

  test("a revoked or expired key, and a key whose member is suspended or deleted, is refused on its next request on every server, and spends nothing", async () => {
    const revoked = await newKey();
    expect((await get(b!.url, "/api/v1/questions", revoked.token)).status).toBe(200);
    expect((await revokeApiKey(actorOf(revoked.member), { keyId: revoked.id })).ok).toBe(true);
    for (const origin of [a.url, b!.url]) expect((await get(origin, "/api/v1/questions", revoked.token)).status).toBe(401);
    expect(await points(revoked.id)).toBe(1);

    const suspended = await newKey();
    expect((await get(a.url, "/api/v1/questions", suspended.token)).status).toBe(200);
    await db.query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [suspended.member.id]);
    for (const origin of [a.url, b!.url]) expect((await get(origin, "/api/v1/questions", suspended.token)).status).toBe(401);
    expect(await points(suspended.id)).toBe(1);

    const expired = await newKey();
    expect((await get(a.url, "/api/v1/questions", expired.token)).status).toBe(200);
    await db.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    for (const origin of [a.url, b!.url]) expect((await get(origin, "/api/v1/questions", expired.token)).status).toBe(401);
    expect(await points(expired.id)).toBe(1);

    const deleted = await newKey();
    expect((await get(b!.url, "/api/v1/questions", deleted.token)).status).toBe(200);
    await db.query(`DELETE FROM users WHERE id = $1`, [deleted.member.id]);
    for (const origin of [a.url, b!.url]) expect((await get(origin, "/api/v1/questions", deleted.token)).status).toBe(401);
  });

  test("a key's last use is recorded, at most once a minute", async () => {
    const key = await newKey();
    const lastUsed = async () => (await db.query<{ last_used_at: Date | null }>(`SELECT last_used_at FROM api_keys WHERE id = $1`, [key.id])).rows[0]!.last_used_at;
    expect(await lastUsed()).toBeNull();
    const before = Date.now();
    expect((await get(a.url, "/api/v1/questions", key.token)).status).toBe(200);
    expect((await lastUsed())!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // Used 30 s ago: not written again.
    await db.query(`UPDATE api_keys SET last_used_at = now() - interval '30 seconds' WHERE id = $1`, [key.id]);
    const thirty = (await lastUsed())!.getTime();
    expect((await get(b!.url, "/api/v1/questions", key.token)).status).toBe(200);
    expect((await lastUsed())!.getTime()).toBe(thirty);
    // Used 90 s ago: written now.
    await db.query(`UPDATE api_keys SET last_used_at = now() - interval '90 seconds' WHERE id = $1`, [key.id]);
    const again = Date.now();
    expect((await get(b!.url, "/api/v1/questions", key.token)).status).toBe(200);
    expect((await lastUsed())!.getTime()).toBeGreaterThanOrEqual(again - 1000);
  });
});
