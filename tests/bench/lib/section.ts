/**
 * What a report section is, for sections that run themselves (their own server, their own
 * database, figures beyond autocannon's) rather than a list of workloads against the fresh demo
 * database, plus a registry of things to undo if the run is interrupted.
 */
import type { Workload } from "./autocannon.ts";
import type { SectionReport } from "./report.ts";

export type SectionContext = {
  /** Prints one line to the terminal. */
  say: (line: string) => void;
};

export type SectionOutcome = { skipped: string } | { report: SectionReport };

export type BenchSection = {
  /** Marker id in docs/benchmarks.md: <!-- bench:<id>:start --> … <!-- bench:<id>:end --> */
  id: string;
  title: string;
  /** Run with autocannon against the server on the run's fresh database (ignored when `run` is set). */
  workloads: Workload[];
  /** A section that runs itself; a skipped section leaves its block in docs/benchmarks.md as it was. */
  run?: (context: SectionContext) => Promise<SectionOutcome>;
};

const cleanups = new Set<() => Promise<void>>();

/** Registers an undo step (stop a child process, close a proxy) for an interrupted run; returns its remover. */
export function onCleanup(task: () => Promise<void>): () => void {
  cleanups.add(task);
  return () => cleanups.delete(task);
}

export async function runCleanups(): Promise<void> {
  const tasks = [...cleanups];
  cleanups.clear();
  await Promise.all(tasks.map((task) => task().catch((error: unknown) => console.error("Clean-up failed:", error))));
}
