/**
 * `npm run bench`: starts the built production server on 127.0.0.1 against a fresh database,
 * runs every workload in tests/bench/workloads.ts with autocannon, prints the figures beside their
 * targets and writes them to docs/benchmarks.md. Sections that run themselves (the Q&A section on
 * the large dataset in BENCH_LARGE_DATABASE_URL) follow, with their own server and database.
 * The servers and the fresh database are always cleaned up; the exit code is non-zero when
 * anything failed or a run had errors.
 *
 * BENCH_SECTIONS=qa (a comma-separated list of section ids) runs only those sections; the blocks
 * of the others in docs/benchmarks.md stay as they were.
 *
 * BENCH_SCALE=5 says the large dataset was made with `seed:large -- --scale 5` (issue 25's growth
 * figures): the run checks the dataset's question count against it (refused when it is more than
 * 5 % off) and writes the large-dataset sections as blocks of their own (`<id>-scale5`), so the
 * scale-1 blocks stay beside them.
 */
import path from "node:path";
import pg from "pg";
import { plannedSeconds, runWorkload, type WorkloadResult } from "./lib/autocannon.ts";
import { createBenchDatabase, type BenchDatabase } from "./lib/database.ts";
import { busy, currentCommit, describeMachine, machineLine, percent, printSection, sampleCpuBusy, sectionMisses, writeReport, type SectionReport } from "./lib/report.ts";
import { runCleanups } from "./lib/section.ts";
import { processTreeMemory, startServer, stopAllServers, type BenchServer } from "./lib/server.ts";
import { SECTIONS } from "./workloads.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const REPORT_FILE = path.join(ROOT, "docs/benchmarks.md");

function say(line: string) {
  process.stdout.write(`${line}\n`);
}

let database: BenchDatabase | undefined;
let server: BenchServer | undefined;

/** Stops the fresh database's server before dropping it; safe to call again. */
async function releaseFreshDatabase(): Promise<void> {
  const [s, d] = [server, database];
  server = undefined;
  database = undefined;
  if (s) await s.stop().catch((error: unknown) => console.error("Could not stop the server:", error));
  if (d) await d.drop().catch((error: unknown) => console.error("Could not drop the benchmark database:", error));
}

let cleaning: Promise<void> | undefined;
/** Runs once, whatever happened before: every server, child process and proxy, then the fresh database. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await runCleanups();
    await stopAllServers();
    await releaseFreshDatabase();
  })();
  return cleaning;
}

/** Resident memory of the app's node process: the largest in the tree (anything it started is smaller). */
function serverRssMiB(pid: number): number {
  const tree = processTreeMemory(pid);
  if (tree.length === 0) throw new Error("The server process is gone: cannot read its memory.");
  return tree[0].rssKiB / 1024;
}

function selectedSections() {
  const wanted = process.env.BENCH_SECTIONS?.split(",").map((s) => s.trim()).filter(Boolean);
  if (!wanted?.length) return SECTIONS;
  const unknown = wanted.filter((id) => !SECTIONS.some((s) => s.id === id));
  if (unknown.length) throw new Error(`BENCH_SECTIONS names unknown sections: ${unknown.join(", ")} (known: ${SECTIONS.map((s) => s.id).join(", ")})`);
  return SECTIONS.filter((s) => wanted.includes(s.id));
}

/** BENCH_SCALE (default 1), checked against the large dataset's questions (100,000 per unit of scale). */
async function datasetScale(): Promise<number> {
  const scale = Number(process.env.BENCH_SCALE ?? "1");
  if (!Number.isFinite(scale) || scale <= 0) throw new Error("BENCH_SCALE must be a number above 0");
  const url = process.env.BENCH_LARGE_DATABASE_URL;
  if (scale === 1 || !url) return scale;
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM threads");
    const expected = scale * 100_000;
    if (Math.abs(rows[0]!.n - expected) > expected * 0.05) throw new Error(`refused: BENCH_SCALE=${scale} expects about ${expected} questions, the large dataset has ${rows[0]!.n}`);
    say(`Large dataset at scale ${scale}: ${rows[0]!.n} questions`);
    return scale;
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const machine = describeMachine();
  const cpuBusyBefore = await sampleCpuBusy();
  const sections = selectedSections();
  const plain = sections.filter((s) => !s.run);
  const selfRunning = sections.filter((s) => s.run);
  const serverUrl = process.env.DATABASE_URL || null;
  const workloadCount = plain.reduce((n, s) => n + s.workloads.length, 0);
  say(`Machine: ${machineLine(machine)}; ${percent(cpuBusyBefore)} of the CPU in use before the run`);
  if (busy({ cpuBusyBefore })) say("Warning: other work is running on this machine; the figures will be low and noisy.");

  const reports: SectionReport[] = [];
  let freshDescription = "";
  if (plain.length > 0) {
    say(serverUrl ? `Database: a fresh database on the PostgreSQL server in DATABASE_URL (${new URL(serverUrl).host})` : "Database: embedded PGlite (DATABASE_URL is not set)");
    database = await createBenchDatabase(serverUrl);
    freshDescription = database.description;
    say(`Database ready: ${database.description}`);
    server = await startServer(database.url);
    say(`Server ready at ${server.origin} (pid ${server.pid}); ${workloadCount} workloads, ~${plain.reduce((n, s) => n + plannedSeconds(s.workloads), 0)} s of load`);

    for (const section of plain) {
      const results: WorkloadResult[] = [];
      for (const workload of section.workloads) {
        process.stdout.write(`  ${workload.name} (${workload.method ?? "GET"} ${workload.path}) at ${workload.connections} connection(s)… `);
        const result = await runWorkload(server.origin, workload);
        results.push(result);
        say(`${result.requestsPerSecond.toFixed(1)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
      }
      reports.push({ id: section.id, title: section.title, results, serverRssMiB: serverRssMiB(server.pid) });
    }
    await releaseFreshDatabase();
  }

  const scale = await datasetScale();
  for (const section of selfRunning) {
    say(`${section.title}:`);
    const outcome = await section.run!({ say });
    if ("skipped" in outcome) say(`  ${outcome.skipped}`);
    else if (scale === 1) reports.push(outcome.report);
    else {
      // The block says how its dataset was made and measured at this scale.
      const commands = outcome.report.commands?.map((c) =>
        c.replace("npm run seed:large", `npm run seed:large -- --scale ${scale}`).replace("BENCH_LARGE_DATABASE_URL=", `BENCH_SCALE=${scale} BENCH_LARGE_DATABASE_URL=`),
      );
      reports.push({ ...outcome.report, id: `${outcome.report.id}-scale${scale}`, title: `${outcome.report.title}, at scale ${scale}`, commands });
    }
  }

  for (const report of reports) printSection(report);
  if (reports.length === 0) {
    say("\nNothing was measured; docs/benchmarks.md was left unchanged.");
    return 0;
  }

  const invalid = reports.flatMap((report) => [
    ...report.results.filter((r) => r.non2xx > 0 || r.errors > 0 || r.requests === 0).map((r) => `${r.workload.name} at ${r.workload.connections} (non-2xx responses, errors or no requests)`),
    ...(report.invalid ?? []),
  ]);
  if (invalid.length > 0) {
    console.error(`\nNot a valid measurement: ${invalid.join("; ")}.`);
    console.error("docs/benchmarks.md was left unchanged.");
    return 1;
  }

  writeReport(REPORT_FILE, reports, { date: new Date(), database: freshDescription, machine, commit: currentCommit(ROOT), cpuBusyBefore });
  say(`\nWritten to ${path.relative(process.cwd(), REPORT_FILE)}`);

  const missed = reports.flatMap(sectionMisses);
  if (missed.length > 0) say(`Targets missed: ${missed.join("; ")}`);
  return 0;
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers and dropping the fresh database…`);
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
