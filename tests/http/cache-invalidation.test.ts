import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { docJson } from "../support/factories.ts";
import { HttpClient } from "../support/app-server.ts";
import { formOf, routeIdOf } from "../support/form-submissions.ts";
import { killProcessGroup, startServerProcess, waitForExit, type ServerProcess } from "../support/server-process.ts";
import { needsRealServer } from "../support/real-postgres.ts";

// Two app servers on one database, signalling over LISTEN/NOTIFY: a PostgreSQL server (real-postgres.ts).
needsRealServer();

/**
 * Two built app servers on one PostgreSQL database, as behind a load balancer (ADR 060). What one of
 * them keeps in memory (the anonymous page cache, the category map) is dropped by the other one's
 * change within a second, through LISTEN/NOTIFY, not after its time-to-live (60 s here for both).
 */

let a: ServerProcess | undefined;
let b: ServerProcess | undefined;
let db: pg.Client;

/**
 * How long after now a request was sent that saw the change (`probe` true), polling every 50 ms; fails when
 * none sent within `limitMs` did. The time a request was SENT is what the cache decides: its rendering on a
 * busy machine is not the cache's lag.
 */
async function within(limitMs: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    const sent = Date.now();
    if (sent - started > limitMs) throw new Error(`not seen within ${limitMs} ms`);
    if (await probe()) return sent - started;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const env = { DATABASE_URL: process.env.DATABASE_URL, PAGE_CACHE_SECONDS: "60", JOBS_IN_PROCESS: "false" };
  // One after the other: the first seeds the demo content, the second finds it.
  a = await startServerProcess({ ...env, SEED_DEMO: "true" });
  b = await startServerProcess(env);
  db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
}, 240_000);

afterAll(async () => {
  await db?.end();
  for (const server of [a, b]) {
    if (!server) continue;
    killProcessGroup(server.child, "SIGTERM");
    await waitForExit(server.child);
  }
});

describe("in-process caches follow a change made on another app server", () => {
  test("an answer posted through one server shows on the other's cached anonymous thread page within a second", async () => {
    const { rows } = await db.query<{ path: string }>(`SELECT '/questions/' || id || '/' || slug AS path FROM threads ORDER BY id LIMIT 1`);
    const path = rows[0]!.path;
    const visitor = new HttpClient(b!.url);
    await visitor.get(path);
    const cached = await visitor.get(path);
    expect(cached.headers.get("x-page-cache")).toBe("hit");

    const member = new HttpClient(a!.url);
    await member.signIn("member@threadwise.demo", "demo-member-pass");
    const text = "Rulează exportul din Facturi · 从发票页面导出 · cross-server answer";
    const form = await formOf(member, path, { intent: "answer", body: docJson(text) });
    const posted = await member.post(`${path}?_data=${encodeURIComponent(routeIdOf(path))}`, form, { csrf: form.csrf });
    expect(posted.status).toBeLessThan(400);

    const lag = await within(1_000, async () => (await (await new HttpClient(b!.url).get(path)).text()).includes("Rulează exportul din Facturi"));
    expect(lag).toBeLessThan(1_000);
  });

  test("a category renamed through one server is named so by the other within a second", async () => {
    const { rows } = await db.query<{ id: number; slug: string; description: string }>(`SELECT id, slug, description FROM categories WHERE archived_at IS NULL ORDER BY position LIMIT 1`);
    const category = rows[0]!;
    const reader = new HttpClient(b!.url);
    // Loads B's category map (the search page's filter lists the active categories).
    expect(await (await reader.get("/search?q=export")).text()).not.toContain("Facturare și plăți");

    const admin = new HttpClient(a!.url);
    await admin.signIn("admin@threadwise.demo", "demo-admin-pass");
    const form = await formOf(admin, "/admin/categories", { intent: "update", id: String(category.id), name: "Facturare și plăți 账单", slug: category.slug, description: category.description });
    const renamed = await admin.post(`/admin/categories?_data=${encodeURIComponent(routeIdOf("/admin/categories"))}`, form, { csrf: form.csrf });
    expect(renamed.status).toBe(200);

    const lag = await within(1_000, async () => (await (await reader.get("/search?q=export")).text()).includes("Facturare și plăți 账单"));
    expect(lag).toBeLessThan(1_000);
  });
});
