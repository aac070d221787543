import { afterAll, beforeAll, expect, test } from "vitest";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import type { Runtime } from "~/utils/runtime.server.ts";
import { startAppServer } from "../support/app-server.ts";
import { makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * The job runner of an app server (docs/decisions/034-job-worker-lifecycle.md): graphile-worker 0.16
 * drops a worker whose job could not be marked done, runs on without it and leaves its job locked for
 * 4 hours; /readyz said nothing. Now the runner starts again after a back-off, releases the dead
 * worker's jobs, and /readyz reports the state and the queue.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
let runtime: Runtime;
beforeAll(async () => {
  server = await startAppServer();
  runtime = (server.build.entry.module as unknown as { runtime: Runtime }).runtime;
});
afterAll(async () => {
  await runtime?.stopJobs();
  await server?.close();
});

type Ready = { status: string; jobs: { state: string; restarts: number; due: number; oldestDueSeconds: number } };

async function readyz(): Promise<{ status: number; body: Ready }> {
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Ready };
}

test("/readyz reports how many jobs are due and how long the oldest has waited, even on a server that runs none", async () => {
  const [{ id }] = await prisma.$queryRaw<{ id: bigint }[]>`SELECT (graphile_worker.add_job('cleanup', '{}'::json, run_at => now() - interval '2 minutes')).id`;
  try {
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.status).toBe("ready");
    expect(body.jobs.state).toBe("off");
    expect(body.jobs.due).toBeGreaterThanOrEqual(1);
    expect(body.jobs.oldestDueSeconds).toBeGreaterThanOrEqual(119);
  } finally {
    await prisma.$executeRaw`SELECT graphile_worker.complete_jobs(ARRAY[${id}]::bigint[])`;
  }
});

test("a worker that stops with an error is replaced: the job it held runs again, and /readyz answers 503 until the runner is back", async () => {
  const author = await makeUser();
  const voter = await makeUser();
  const { threadId } = await makeQuestion(author.id);
  const answer = await makeAnswer(author.id, threadId);
  // The first two times a handle-event job is marked done, the database refuses: graphile-worker's
  // worker then gives up ("committing seppuku") with the job still locked by it.
  await prisma.$executeRawUnsafe(`CREATE SEQUENCE test_refused_completions`);
  await prisma.$executeRawUnsafe(`
    CREATE FUNCTION test_refuse_completion() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'handle-event')
         AND nextval('test_refused_completions') <= 2 THEN
        RAISE EXCEPTION 'refused for the test';
      END IF;
      RETURN OLD;
    END $$`);
  await prisma.$executeRawUnsafe(
    `CREATE TRIGGER test_refuse_completion BEFORE DELETE ON graphile_worker._private_jobs FOR EACH ROW EXECUTE FUNCTION test_refuse_completion()`,
  );

  const seen: { status: number; body: Ready }[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      seen.push(await readyz());
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    await runtime.startJobs();
    expect((await castVote(voter.id, answer, { value: 1 })).ok).toBe(true);

    // Every job runs and is marked done, the two refused ones included.
    const deadline = Date.now() + 45_000;
    let left = -1;
    while (Date.now() < deadline) {
      [{ left }] = await prisma.$queryRaw<{ left: number }[]>`SELECT count(*)::int AS left FROM graphile_worker.jobs WHERE attempts < max_attempts`;
      if (left === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(left).toBe(0);
  } finally {
    watching = false;
    await watcher;
  }
  const [{ unhandled }] = await prisma.$queryRaw<{ unhandled: number }[]>`
    SELECT count(*)::int AS unhandled FROM domain_events e
    WHERE e.type = 'vote.cast' AND NOT EXISTS (SELECT 1 FROM event_handlings h WHERE h.event_id = e.id)`;
  expect(unhandled).toBe(0);

  const restarting = seen.filter((r) => r.body.jobs.state === "restarting");
  expect(restarting.length).toBeGreaterThan(0);
  expect(restarting.every((r) => r.status === 503 && r.body.status === "jobs not running")).toBe(true);
  const now = await readyz();
  expect(now.status).toBe(200);
  expect(now.body.jobs.state).toBe("running");
  expect(now.body.jobs.restarts).toBeGreaterThanOrEqual(1);
}, 90_000);
