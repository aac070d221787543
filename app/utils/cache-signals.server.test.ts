import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getDashboardCached, resolveScope, type Scope } from "~/modules/metrics/dashboard-queries.server.ts";
import { CACHE_CHANNEL, announceCacheChange, cacheSignals, stopCacheSignals } from "./cache-signals.server.ts";
import { needsRealServer } from "../../tests/support/real-postgres.ts";

// LISTEN/NOTIFY between connections: not on PGlite, whose socket server does not carry it (real-postgres.ts).
needsRealServer();

/** The wiring of ADR 060 inside one process: what another server's NOTIFY clears, and what this one sends. */

let other: pg.Client;
beforeAll(async () => {
  await cacheSignals().start();
  other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
});
afterAll(async () => {
  await other?.end();
  await stopCacheSignals();
});

async function until(probe: () => boolean, ms = 1_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("cache signals over LISTEN/NOTIFY", () => {
  test("this server listens on the real database", () => {
    expect(cacheSignals().mode).toBe("listen");
  });

  test("another server's dashboard change drops the dashboards computed here", async () => {
    const resolved = await resolveScope({ id: "1", role: "admin", status: "active" }, {});
    expect(resolved.ok).toBe(true);
    const scope = (resolved as { value: Scope }).value;
    const first = getDashboardCached(scope);
    await first;
    expect(getDashboardCached(scope)).toBe(first);
    const heard = cacheSignals().received;
    await other.query("SELECT pg_notify($1, $2)", [CACHE_CHANNEL, "another-server|dashboard"]);
    await until(() => cacheSignals().received > heard);
    expect(getDashboardCached(scope)).not.toBe(first);
  });

  test("a change here is announced once for a burst, naming this server, and is not handled twice here", async () => {
    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (m) => heard.push(m.payload ?? ""));
    await listener.query(`LISTEN ${CACHE_CHANNEL}`);
    let runs = 0;
    const off = cacheSignals().on("categories", () => runs++);
    try {
      announceCacheChange("categories");
      announceCacheChange("categories", "pages");
      expect(runs).toBe(2); // at once, here
      await until(() => heard.length > 0);
      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toEqual([`${cacheSignals().serverId}|categories,pages`]);
      expect(runs).toBe(2); // its own NOTIFY is not handled again
    } finally {
      off();
      await listener.end();
    }
  });
});
