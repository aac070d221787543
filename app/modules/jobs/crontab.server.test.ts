import { parseCrontab } from "graphile-worker";
import { expect, test } from "vitest";
import { CRONTAB } from "~/utils/jobs.server.ts";
import { tasks } from "./tasks.server.ts";

/**
 * The job runner parses the crontab when it starts; a line it cannot parse stops the whole server
 * (an unsupported "5-59/10" once did). Every line must parse and name a task that exists.
 */
test("every crontab line parses and names a task of the task list", () => {
  const items = parseCrontab(CRONTAB);
  expect(items.length).toBe(CRONTAB.trim().split("\n").length);
  for (const item of items) expect(Object.keys(tasks)).toContain(item.task);
  expect(items.map((i) => i.task)).toEqual(expect.arrayContaining(["journey-rollups", "journey-retention", "search-rebuild", "cleanup"]));
});
