import type { TestProject } from "vitest/node";
import { prepareTemplate, testServerUrl } from "./database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    testServerUrl: string | null;
  }
}

/** Builds the migrated template database once per run; every test file then clones it. */
export default async function setup(project: TestProject) {
  const server = testServerUrl();
  await prepareTemplate(server);
  project.provide("testServerUrl", server);
}
