/**
 * `npm run bench`: starts the built production server on 127.0.0.1 against a fresh database,
 * runs every workload in tests/bench/workloads.ts with autocannon, prints the figures beside their
 * targets and writes them to docs/benchmarks.md. The server and the database are always cleaned up;
 * the exit code is non-zero when anything failed or a run had errors.
 */
import path from "node:path";
import { plannedSeconds, runWorkload, type WorkloadResult } from "./lib/autocannon.ts";
import { createBenchDatabase, type BenchDatabase } from "./lib/database.ts";
import { busy, currentCommit, describeMachine, machineLine, missedTargets, percent, printSection, sampleCpuBusy, writeReport, type SectionReport } from "./lib/report.ts";
import { processTreeMemory, startServer, type BenchServer } from "./lib/server.ts";
import { SECTIONS } from "./workloads.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const REPORT_FILE = path.join(ROOT, "docs/benchmarks.md");

function say(line: string) {
  process.stdout.write(`${line}\n`);
}

let database: BenchDatabase | undefined;
let server: BenchServer | undefined;
let cleaning: Promise<void> | undefined;

/** Stops the server before dropping its database; runs once, whatever happened before. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    if (server) await server.stop().catch((error: unknown) => console.error("Could not stop the server:", error));
    if (database) await database.drop().catch((error: unknown) => console.error("Could not drop the benchmark database:", error));
  })();
  return cleaning;
}

/** Resident memory of the app's node process: the largest in the tree (the tsx launcher is smaller). */
function serverRssMiB(pid: number): number {
  const tree = processTreeMemory(pid);
  if (tree.length === 0) throw new Error("The server process is gone: cannot read its memory.");
  return tree[0].rssKiB / 1024;
}

async function main(): Promise<number> {
  const machine = describeMachine();
  const cpuBusyBefore = await sampleCpuBusy();
  const serverUrl = process.env.DATABASE_URL || null;
  const workloadCount = SECTIONS.reduce((n, s) => n + s.workloads.length, 0);
  say(`Machine: ${machineLine(machine)}; ${percent(cpuBusyBefore)} of the CPU in use before the run`);
  if (busy({ cpuBusyBefore })) say("Warning: other work is running on this machine; the figures will be low and noisy.");
  say(serverUrl ? `Database: a fresh database on the PostgreSQL server in DATABASE_URL (${new URL(serverUrl).host})` : "Database: embedded PGlite (DATABASE_URL is not set)");

  database = await createBenchDatabase(serverUrl);
  say(`Database ready: ${database.description}`);
  server = await startServer(database.url);
  say(`Server ready at ${server.origin} (pid ${server.pid}); ${workloadCount} workloads, ~${SECTIONS.reduce((n, s) => n + plannedSeconds(s.workloads), 0)} s of load`);

  const reports: SectionReport[] = [];
  for (const section of SECTIONS) {
    const results: WorkloadResult[] = [];
    for (const workload of section.workloads) {
      process.stdout.write(`  ${workload.name} (${workload.method ?? "GET"} ${workload.path}) at ${workload.connections} connection(s)… `);
      const result = await runWorkload(server.origin, workload);
      results.push(result);
      say(`${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
    }
    reports.push({ id: section.id, title: section.title, results, serverRssMiB: serverRssMiB(server.pid) });
  }

  for (const report of reports) printSection(report);

  const all = reports.flatMap((r) => r.results);
  const invalid = all.filter((r) => r.non2xx > 0 || r.errors > 0 || r.requests === 0);
  if (invalid.length > 0) {
    console.error(`\nNot a valid measurement: non-2xx responses, errors or no requests in ${invalid.map((r) => `${r.workload.name} at ${r.workload.connections}`).join(", ")}.`);
    console.error(`docs/benchmarks.md was left unchanged. The server's last output:\n${server.recentOutput()}`);
    return 1;
  }

  writeReport(REPORT_FILE, reports, { date: new Date(), database: database.description, machine, commit: currentCommit(ROOT), cpuBusyBefore });
  say(`\nWritten to ${path.relative(process.cwd(), REPORT_FILE)}`);

  const missed = missedTargets(all);
  if (missed.length > 0) say(`Targets missed: ${missed.join("; ")}`);
  return 0;
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the server and dropping the database…`);
    void cleanUp().finally(() => process.exit(code));
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error("\nThe benchmark failed:", error);
} finally {
  await cleanUp();
}
// Open handles (pg pools, PGlite) must not keep the process alive after the report.
process.exit(exitCode);
