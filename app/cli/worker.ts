/**
 * `npm run worker`: processes background jobs (e-mail, event handlers, clean-up) in a process of
 * its own. Run it when the web servers are started with JOBS_IN_PROCESS=false; several workers may
 * run at once, graphile-worker hands each job to exactly one of them.
 */
import { tasks } from "~/modules/jobs/tasks.server.ts";
import { disconnectDb } from "~/utils/db.server.ts";
import { getEnv } from "~/utils/env.server.ts";
import { migrateJobs, startJobs, stopJobs } from "~/utils/jobs.server.ts";
import { logger } from "~/utils/logger.server.ts";

getEnv(); // fail fast on a bad environment
await migrateJobs();
await startJobs(tasks, { concurrency: Number(process.env.JOBS_CONCURRENCY ?? 4) });
logger.info("worker started");

const stop = async (signal: string) => {
  logger.info({ signal }, "worker stopping");
  await stopJobs();
  await disconnectDb();
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
