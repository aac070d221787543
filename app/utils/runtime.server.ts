import { tasks } from "~/modules/jobs/tasks.server.ts";
import { stopLiveCounts } from "~/modules/notifications/live-counts.server.ts";
import { disconnectDb, getPool } from "./db.server.ts";
import { migrateJobs, startJobs, stopJobs } from "./jobs.server.ts";

/**
 * What the HTTP server (app/server/) needs from the bundled app, exported through entry.server so
 * the process holds one database pool and one copy of every module.
 */
export const runtime = {
  migrateJobs: () => migrateJobs(),
  async startJobs() {
    await startJobs(tasks);
  },
  stopJobs,
  /** For /readyz: true when the database answers. */
  async databaseReady(): Promise<boolean> {
    try {
      await getPool().query("SELECT 1");
      return true;
    } catch {
      return false;
    }
  },
  /** Closes the notification LISTEN connection, then the pool. */
  async disconnectDb() {
    await stopLiveCounts();
    await disconnectDb();
  },
};

export type Runtime = typeof runtime;
