import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { afterAll, beforeAll, expect, test } from "vitest";
import { routeBranches, routeMatcher } from "~/server/request-metrics.ts";
import { prisma } from "~/utils/db.server.ts";
import { sendMail } from "~/utils/mail.server.ts";
import type { Runtime } from "~/utils/runtime.server.ts";
import { startAppServer } from "../support/app-server.ts";
import { makeQuestion, makeUser } from "../support/factories.ts";

// /metrics (ADR 066): Prometheus exposition behind a bearer token, labelled by Remix route id, never by URL.
const TOKEN = "metrics-token-for-the-test-0123456789abcdef";
let server: Awaited<ReturnType<typeof startAppServer>>;
let untokened: Awaited<ReturnType<typeof startAppServer>>;

beforeAll(async () => {
  process.env.MAIL_DIR = "/dev/null/no-mail-dir"; // writing a mail here fails: the failure counter
  server = await startAppServer({ metricsToken: TOKEN, pageCacheSeconds: 5 });
  untokened = await startAppServer({ metricsToken: undefined });
  // The queue's schema (no job runner here: the jobs added below stay where they are).
  await (server.build.entry.module as unknown as { runtime: Runtime }).runtime.migrateJobs();
});
afterAll(async () => {
  await server?.close();
  await untokened?.close();
});

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Prometheus text format 0.0.4, as prom-client writes it. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(): Promise<Sample[]> {
  const response = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await response.text());
}

function sum(samples: Sample[], name: string, labels: Record<string, string>): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

test("without METRICS_TOKEN, without a token or with a wrong one, /metrics answers 404", async () => {
  expect((await fetch(`${untokened.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN, `Basic ${TOKEN}`, "Bearer "]) {
    const response = await fetch(`${server.url}/metrics`, { headers: { Authorization: header } });
    expect(response.status, header).toBe(404);
    expect(await response.text()).not.toContain("threadwise_");
  }
});

test("a page request counts under its route id; pool, queue, index, cache and mail figures are there; no URL or user text in labels", async () => {
  const user = await makeUser();
  const { threadId } = await makeQuestion(user.id, { title: "Secretă întrebare 秘密问题 about exports" });
  // The queue as the scrape reads it: one job due for 2 minutes, one out of attempts, one retrying later.
  await prisma.$executeRaw`SELECT graphile_worker.add_job('metrics-test-due', '{}'::json, run_at => now() - interval '2 minutes')`;
  const [failed] = await prisma.$queryRaw<{ id: bigint }[]>`SELECT (graphile_worker.add_job('metrics-test-failed', '{}'::json, max_attempts => 1)).id`;
  const [retrying] = await prisma.$queryRaw<{ id: bigint }[]>`SELECT (graphile_worker.add_job('metrics-test-retry', '{}'::json, run_at => now() + interval '1 hour')).id`;
  await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET attempts = 1, last_error = 'boom' WHERE id IN (${failed!.id}, ${retrying!.id})`;
  const before = await scrape();
  const route = "routes/questions.$id.$slug";
  const secret = "user-secret-文本-ăîș";
  const page = await fetch(`${server.url}/questions/${threadId}/${encodeURIComponent(secret)}?q=${encodeURIComponent(`<script>${secret}`)}`, { redirect: "manual" });
  expect(page.status).toBeLessThan(500);
  // The anonymous page cache: a miss, then a hit.
  await fetch(`${server.url}/`);
  expect((await fetch(`${server.url}/`)).headers.get("x-page-cache")).toBe("hit");
  await expect(sendMail({ to: "someone@example.com", subject: "x", text: "y" })).rejects.toThrow();
  const after = await scrape();

  const name = "threadwise_http_request_duration_seconds_count";
  expect(sum(after, name, { route, method: "GET" }) - sum(before, name, { route, method: "GET" })).toBe(1);
  expect(sum(after, "threadwise_http_request_duration_seconds_bucket", { route, method: "GET", le: "+Inf" })).toBeGreaterThanOrEqual(1);
  expect(sum(after, "threadwise_page_cache_lookups_total", { result: "hit" }) - sum(before, "threadwise_page_cache_lookups_total", { result: "hit" })).toBe(1);
  expect(sum(after, "threadwise_page_cache_lookups_total", { result: "miss" }) - sum(before, "threadwise_page_cache_lookups_total", { result: "miss" })).toBeGreaterThanOrEqual(1);
  expect(sum(after, "threadwise_mails_total", { result: "failed", transport: "file" }) - sum(before, "threadwise_mails_total", { result: "failed", transport: "file" })).toBe(1);
  expect(after.some((s) => s.name === "threadwise_mails_total" && s.labels.result === "sent")).toBe(true);

  for (const state of ["total", "idle", "waiting"]) {
    const value = after.find((s) => s.name === "threadwise_db_pool_connections" && s.labels.state === state)?.value;
    expect(value, state).toBeGreaterThanOrEqual(0);
  }
  expect(sum(after, "threadwise_db_pool_connections", { state: "total" })).toBeGreaterThan(0);
  // Asking the question queued jobs of its own (search, rollups): due counts every job due, failed and retrying only ours.
  const [{ due }] = (await prisma.$queryRaw<{ due: number }[]>`SELECT count(*)::int AS due FROM graphile_worker._private_jobs WHERE run_at <= now() AND attempts < max_attempts`) as [{ due: number }];
  expect(due).toBeGreaterThanOrEqual(1);
  expect(sum(after, "threadwise_jobs", { state: "due" })).toBe(due);
  expect(sum(after, "threadwise_jobs", { state: "failed" })).toBe(1);
  expect(sum(after, "threadwise_jobs", { state: "retrying" })).toBe(1);
  expect(sum(after, "threadwise_jobs_oldest_due_seconds", {})).toBeGreaterThanOrEqual(119);
  const indexAge = sum(after, "threadwise_search_index_age_seconds", {});
  expect(Number.isFinite(indexAge) && indexAge >= -1, String(indexAge)).toBe(true);
  expect(after.some((s) => s.name === "threadwise_process_cpu_seconds_total")).toBe(true);

  // Route labels are route ids of the build or fixed names; nothing a client sent is a label value.
  const routeIds = new Set([...Object.keys(server.build.routes), "static", "healthz", "readyz", "metrics", "unmatched"]);
  for (const sample of after) {
    if (sample.labels.route !== undefined) expect(routeIds, sample.labels.route).toContain(sample.labels.route);
    for (const value of Object.values(sample.labels)) {
      expect(value).not.toContain(secret);
      expect(value).not.toMatch(/^\/|\?|script|秘密|Secretă/);
    }
  }
});

test("the route id of a path is the one Remix's own matcher (@remix-run/router matchRoutes) finds", () => {
  const routes = server.build.routes;
  const tree = (parentId?: string): AgnosticRouteObject[] =>
    Object.values(routes)
      .filter((r) => r.parentId === parentId)
      .map((r) => (r.index ? { id: r.id, index: true, path: r.path } : { id: r.id, path: r.path, caseSensitive: r.caseSensitive, children: tree(r.id) }));
  const oracle = tree();
  const paths = new Set(["/", "", "//", "/nope", "/nope/deep/er", "/robots.txt", "/favicon.svg", "/QUESTIONS", "/questions/", "/questions//x", "/%E4%B8%AD%E6%96%87", "/questions/1/%2F..%2F", "/a%zz"]);
  for (const route of Object.values(routes)) {
    let full = "";
    for (let r: (typeof routes)[string] | undefined = route; r; r = r.parentId ? routes[r.parentId] : undefined) full = `${r.path ?? ""}/${full}`;
    for (const value of ["12", "中文-ăîș", "x y", "%2F"]) {
      const path = `/${full}`.replace(/\/+/g, "/").replace(/:[\w-]+/g, encodeURIComponent(value)).replace(/\*/g, `a/${encodeURIComponent(value)}`);
      paths.add(path);
      paths.add(`${path}/`);
      paths.add(path.toUpperCase());
      paths.add(`${path}/extra`);
    }
  }
  const ours = routeMatcher(() => routes);
  const fresh = routeMatcher(() => routes, 1);
  for (const path of paths) {
    const matches = matchRoutes(oracle, path);
    const expected = matches?.[matches.length - 1]?.route.id ?? "unmatched";
    expect(ours(path), path).toBe(expected);
    expect(ours(path), `${path} (kept)`).toBe(expected);
    expect(fresh(path), path).toBe(expected);
  }
  expect(paths.size).toBeGreaterThan(300);
  expect(routeBranches(routes).length).toBeGreaterThan(Object.keys(routes).length / 2);
});
