import { afterAll, beforeAll, expect, test } from "vitest";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { tasks } from "~/modules/jobs/tasks.server.ts";
import { disconnectDb, prisma } from "~/utils/db.server.ts";
import { startJobs, stopJobs } from "~/utils/jobs.server.ts";
import { createTestDatabase, prepareTemplate, type TestDatabase } from "../support/database.ts";
import { makeAnswer, makeQuestion, makeUser } from "../support/factories.ts";

/**
 * The embedded database serves every connection from one backend, so a prepared statement's name is
 * taken for good once any connection has used it. graphile-worker names its statements: a new
 * connection (the pool replaces idle ones after 30 s, or after the server dropped them) could never
 * prepare `get_job` again, and the queue took no job until a restart, while `complete_job` on such a
 * connection killed the worker (42P05). On the embedded database the queue now runs without named
 * statements (docs/decisions/034-job-worker-lifecycle.md).
 */
let embedded: TestDatabase;
beforeAll(async () => {
  await prepareTemplate(null);
  embedded = await createTestDatabase(null);
  process.env.DATABASE_URL = embedded.url;
}, 180_000);
afterAll(async () => {
  await stopJobs();
  await disconnectDb();
  await embedded?.drop();
});

/** Whether every vote event so far has been handled (the job queue ran its handle-event job). */
async function votesHandled(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await prisma.$queryRaw<{ waiting: number }[]>`
      SELECT count(*)::int AS waiting FROM domain_events e
      WHERE e.type = 'vote.cast' AND NOT EXISTS (SELECT 1 FROM event_handlings h WHERE h.event_id = e.id)`;
    if (row!.waiting === 0) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

test("on the embedded database the job queue keeps taking jobs after its database connections are replaced", async () => {
  const author = await makeUser();
  const voter = await makeUser();
  const { threadId } = await makeQuestion(author.id);
  const first = await makeAnswer(author.id, threadId, "The first answer, voted before the connections are replaced.");
  const second = await makeAnswer(author.id, threadId, "The second answer, voted after the connections were replaced.");
  await startJobs(tasks);

  expect((await castVote(voter.id, first, { value: 1 })).ok).toBe(true);
  expect(await votesHandled(15_000)).toBe(true);

  // What the pool does to idle connections after 30 s, or a database restart does to all of them.
  expect(await embedded.dropConnections()).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 500));

  expect((await castVote(voter.id, second, { value: 1 })).ok).toBe(true);
  expect(await votesHandled(15_000)).toBe(true);
}, 120_000);
