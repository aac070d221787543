import { afterAll, beforeAll, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import type { Runtime } from "~/utils/runtime.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * Searches reach the dashboard the way they do in production: the search page's beacon
 * (POST /search/log) on the built server, the job queue started by the server's own runtime (so the
 * event subscriptions are wired exactly as `npm start` wires them), then the /dashboard page.
 * Nothing here records an event or touches a rollup.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
let runtime: Runtime;
let staff: HttpClient;
let threadId: bigint;

beforeAll(async () => {
  server = await startAppServer();
  runtime = (server.build.entry.module as unknown as { runtime: Runtime }).runtime;
  await runtime.migrateJobs();
  await runtime.startJobs();
  const member = await makeUser({ role: "staff" });
  staff = new HttpClient(server.url);
  await staff.signIn(member.email, GOOD_PASSWORD);
  ({ threadId } = await makeQuestion((await makeUser()).id, { title: "Where do I download my invoices?" }));
});
afterAll(async () => {
  await runtime?.stopJobs();
  await server?.close();
});

/** The value shown on a dashboard figure card. */
function figure(html: string, key: string): string {
  const match = html.match(new RegExp(`data-testid="figure-${key}"[\\s\\S]*?class="dash-figure__value">([^<]*)<`));
  if (!match) throw new Error(`no figure ${key} on the dashboard`);
  return match[1]!;
}

/** Waits until the job queue has run every handle-event job (they are deleted when done). */
async function jobsDone(timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'handle-event'`;
    if (row!.n === 0) return;
    if (Date.now() > until) throw new Error(`${row!.n} handle-event jobs still queued`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("searches logged by the search page's beacon show on the dashboard: searches, zero-result searches and deflection", async () => {
  await jobsDone();
  // The dashboard keeps a computed scope for 30 s: "before" and "after" read two different ranges.
  const before = await (await staff.get("/dashboard?range=30")).text();
  expect(figure(before, "searches")).toBe("0");
  expect(figure(before, "zeroResultSearches")).toBe("0");

  const visitor = new HttpClient(server.url);
  const csrf = await visitor.csrfToken();
  const first = await visitor.post("/search/log", { q: "qqqzzz wobble", from: "page" }, { csrf });
  expect(first.status).toBe(200);
  const { searchId } = (await first.json()) as { searchId: string };
  expect((await visitor.post("/search/log", { q: "发票 下载 qqqzzz", from: "header" }, { csrf })).status).toBe(200);
  // The visitor opens a result of the first search: a session that opened a result and asked nothing.
  expect((await visitor.post("/search/log", { q: "qqqzzz wobble", from: "page", searchId, opened: `thread:${threadId}` }, { csrf })).status).toBe(200);

  await jobsDone();
  const after = await (await staff.get("/dashboard?range=7")).text();
  expect(figure(after, "searches")).toBe("2");
  expect(figure(after, "zeroResultSearches")).toBe("2");
  expect(figure(after, "deflection")).toBe("100.0%");
});
