import type { TestProject } from "vitest/node";
import { prepareTemplate, testServerUrl } from "./database.ts";
import { startRealPostgres, type RealPostgres } from "./real-postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The server every test file gets its database on: DATABASE_URL's, or null for the embedded PGlite. */
    testServerUrl: string | null;
    /** The server of the files that call needsRealServer(): DATABASE_URL's, or one started for this run. */
    realServerUrl: string;
  }
}

/**
 * Builds the migrated template database once per run; every test file then clones it. Without DATABASE_URL
 * a real PostgreSQL is also started for the files that cannot run on PGlite (tests/support/real-postgres.ts).
 */
export default async function setup(project: TestProject) {
  const server = testServerUrl();
  let real: RealPostgres | undefined;
  if (!server) {
    real = await startRealPostgres();
    await prepareTemplate(real.url);
  }
  await prepareTemplate(server);
  project.provide("testServerUrl", server);
  project.provide("realServerUrl", server ?? real!.url);
  return async () => {
    await real?.stop();
  };
}
