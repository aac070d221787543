/**
 * Turns benchmark results into the table printed to the terminal and into docs/benchmarks.md,
 * where each report section lives between its own markers so runs (and later issues' sections)
 * replace only their own block and never the hand-written text around it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Targets, WorkloadResult } from "./autocannon.ts";

export const COMMAND = "npm run bench";

export type Machine = { cpus: number; cpuModel: string; memoryGiB: number; node: string };

export type SectionReport = {
  id: string;
  title: string;
  /** autocannon workloads (none for a section that times a command: its figures go in `facts` and `extra`). */
  results: WorkloadResult[];
  /** Resident memory of the server process after this section's workloads (none when it started no server). */
  serverRssMiB?: number;
  /** Target for serverRssMiB, shown beside it. */
  rssTargetMiB?: number;
  /** The database this section ran on, when it is not the run's fresh database. */
  database?: string;
  /** Commands that made these figures, in order (default: the bench command alone). */
  commands?: string[];
  /** Further lines for the list at the top of the block (dataset, method…). */
  facts?: string[];
  /** Markdown after the main table: further tables and notes. */
  extra?: string;
  /** Targets missed outside `results` (writes, query counts…), for the summary line. */
  missed?: string[];
  /** Reasons the figures are not a valid measurement (failed writes…): the report is then not written. */
  invalid?: string[];
};

export type RunInfo = {
  date: Date;
  database: string;
  machine: Machine;
  commit: string;
  /** Share of all CPUs (0–1) in use just before the run: other work on the machine skews every figure. */
  cpuBusyBefore: number;
};

export function describeMachine(): Machine {
  const cpuinfo = readOr("/proc/cpuinfo");
  const meminfo = readOr("/proc/meminfo");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown CPU";
  const memKiB = Number(/^MemTotal:\s+(\d+)\s+kB/m.exec(meminfo)?.[1] ?? os.totalmem() / 1024);
  return {
    cpus: os.availableParallelism(),
    cpuModel: model.replace(/\s+/g, " "),
    memoryGiB: Math.round((memKiB / 1024 / 1024) * 10) / 10,
    node: process.version,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Node ${m.node}`;
}

/** Short commit, marked when the working tree has uncommitted changes; "unknown" outside git. */
export function currentCommit(root: string): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return dirty ? `${sha} with uncommitted changes` : sha;
  } catch {
    return "unknown";
  }
}

/** Share of all CPUs (0–1) busy over `ms`, from /proc/stat; 0 where that file does not exist. */
export async function sampleCpuBusy(ms = 1_000): Promise<number> {
  const read = () => {
    const fields = readOr("/proc/stat").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  const before = read();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = read();
  const total = after.total - before.total;
  return total > 0 ? 1 - (after.idle - before.idle) / total : 0;
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

const NO_TARGET = "—";

function formatTarget(value: number, target: number | undefined, kind: "atLeast" | "atMost"): string {
  if (target === undefined) return NO_TARGET;
  const met = kind === "atLeast" ? value >= target : value <= target;
  return `${kind === "atLeast" ? "≥" : "≤"} ${target} ${met ? "✓" : "✗ missed"}`;
}

function round(value: number, digits: number): string {
  return value.toFixed(digits);
}

function rows(results: WorkloadResult[]): string[][] {
  const header = ["Workload", "Path", "Conns", "req/s", "target", "p50 ms", "target", "p99 ms", "target", "non-2xx", "errors"];
  const body = results.map((r) => {
    const t: Targets = r.workload.targets ?? {};
    return [
      r.workload.name,
      `\`${r.workload.method ?? "GET"} ${r.workload.displayPath ?? r.workload.path}\``,
      String(r.workload.connections),
      round(r.requestsPerSecond, 1),
      formatTarget(r.requestsPerSecond, t.requestsPerSecond, "atLeast"),
      String(r.p50Ms),
      formatTarget(r.p50Ms, t.p50Ms, "atMost"),
      String(r.p99Ms),
      formatTarget(r.p99Ms, t.p99Ms, "atMost"),
      String(r.non2xx),
      r.timeouts > 0 ? `${r.errors} (${r.timeouts} timeouts)` : String(r.errors),
    ];
  });
  return [header, ...body];
}

/** A Markdown table padded into columns, so it reads the same in a terminal and in the docs. */
export function markdownTable(results: WorkloadResult[]): string {
  const table = rows(results);
  const widths = table[0].map((_, col) => Math.max(...table.map((row) => [...row[col]].length)));
  const numeric = new Set([2, 3, 5, 7, 9]);
  const line = (row: string[]) =>
    `| ${row.map((cell, col) => (numeric.has(col) ? cell.padStart(widths[col]) : cell.padEnd(widths[col]))).join(" | ")} |`;
  const rule = `|${widths.map((w, col) => (numeric.has(col) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(table[0]), rule, ...table.slice(1).map(line)].join("\n");
}

/** Whether any target was missed (figures are still reported). */
export function missedTargets(results: WorkloadResult[]): string[] {
  const missed: string[] = [];
  for (const r of results) {
    const t = r.workload.targets ?? {};
    const label = `${r.workload.name} at ${r.workload.connections} connection(s)`;
    if (t.requestsPerSecond !== undefined && r.requestsPerSecond < t.requestsPerSecond) missed.push(`${label}: req/s`);
    if (t.p50Ms !== undefined && r.p50Ms > t.p50Ms) missed.push(`${label}: p50`);
    if (t.p99Ms !== undefined && r.p99Ms > t.p99Ms) missed.push(`${label}: p99`);
  }
  return missed;
}

function rssLine(section: SectionReport & { serverRssMiB: number }): string {
  const target = section.rssTargetMiB === undefined ? "" : `, target ${formatTarget(section.serverRssMiB, section.rssTargetMiB, "atMost")}`;
  return `${section.serverRssMiB.toFixed(0)} MiB${target}`;
}

const hasServer = (section: SectionReport): section is SectionReport & { serverRssMiB: number } => section.serverRssMiB !== undefined;

export function printSection(section: SectionReport): void {
  const table = section.results.length > 0 ? `${markdownTable(section.results)}\n` : "";
  const extra = section.extra ? `\n${section.extra}\n` : "";
  const rss = hasServer(section) ? `\nserver RSS after run: ${rssLine(section)}\n` : "";
  process.stdout.write(`\n${section.title}\n\n${table}${extra}${rss}`);
}

/** Targets missed in a section: its workloads' and its own (RSS, writes, query counts…). */
export function sectionMisses(section: SectionReport): string[] {
  const missed = [...missedTargets(section.results), ...(section.missed ?? [])];
  if (hasServer(section) && section.rssTargetMiB !== undefined && section.serverRssMiB > section.rssTargetMiB) missed.push(`${section.title}: server RSS`);
  return missed;
}

function generatedBlock(section: SectionReport, run: RunInfo): string {
  return [
    `## ${section.title}`,
    "",
    `_Generated by \`${COMMAND}\`; replaced on every run, do not edit between the markers._`,
    "",
    `- Date: ${run.date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")}`,
    section.commands ? `- Commands: ${section.commands.map((c) => `\`${c}\``).join(", then ")}` : `- Command: \`${COMMAND}\``,
    `- Database: ${section.database ?? run.database}`,
    ...(section.facts ?? []).map((fact) => `- ${fact}`),
    `- Machine: ${machineLine(run.machine)}`,
    `- Commit: ${run.commit}`,
    `- CPU in use before the run: ${percent(run.cpuBusyBefore)}${busy(run) ? " (the machine was busy: figures are low)" : ""}`,
    ...(hasServer(section) ? [`- Server RSS after run: ${rssLine(section)} (the node process running the app)`] : []),
    ...(section.results.length > 0 ? ["", markdownTable(section.results)] : []),
    ...(section.extra ? ["", section.extra] : []),
  ].join("\n");
}

/** Other processes were using at least a quarter of the CPUs when the run started. */
export function busy(run: Pick<RunInfo, "cpuBusyBefore">): boolean {
  return run.cpuBusyBefore >= 0.25;
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

function intro(machine: Machine): string {
  return `# Benchmarks

\`${COMMAND}\` builds the app, starts the production server (\`node --import tsx app/cli/start.ts\`, as \`npm start\` does) on
127.0.0.1 against a fresh database with the demo content, and drives it with
[autocannon](https://github.com/mcollina/autocannon). Each workload gets a 3 s warm-up that is not measured,
then a measured run; the requests look like a browser's (\`Accept: text/html\`,
\`Accept-Encoding: gzip, deflate, br\`), so compression is part of the cost.

- **req/s**: average requests per second over the measured run.
- **p50 / p99 ms**: median and 99th percentile latency, as autocannon measures it (from the client).
- **non-2xx / errors**: responses that were not 2xx, and connection errors or timeouts; a run with either is
  not a valid measurement.
- **Server RSS after run**: resident memory of the node process that runs the app (tsx starts it as a child of
  its launcher; the launcher is not counted), read from \`/proc/<pid>/status\` after the workloads.
- **target**: the figure an issue asks for, where there is one; "—" where there is none yet.
- **CPU in use before the run**: sampled from \`/proc/stat\` for one second before the database and server start.
  Other work on the machine (tests, builds) takes CPU from the server and makes figures low and noisy; a run
  that starts on a busy machine says so.

Database: with \`DATABASE_URL\` set (a PostgreSQL server that allows \`CREATE DATABASE\`) the run gets a fresh
database cloned from the migrated template and dropped afterwards; without it, an in-memory embedded PGlite
copy that runs inside the bench process itself. PGlite runs one transaction at a time and shares the bench
process's CPU with the load generator: its figures are for a laptop, not for comparison.

The Q&A section (issue 4) runs on the large dataset instead: fill a database once with
\`DATABASE_URL=… npm run seed:large\` (about 3 minutes here), then run
\`BENCH_LARGE_DATABASE_URL=<that database's URL> npm run bench\`. That database is used as it is and never dropped;
each run adds ~220 answers to one scratch thread of the member it signs in as (a vote it casts is withdrawn
again). Without the variable the section prints "skipped" and its block below stays as it was.
\`BENCH_SECTIONS=qa\` runs only that section; \`BENCH_CPU_PROF=<dir>\` runs its server under \`node --cpu-prof\`, and
\`npx tsx tests/bench/profile-summary.ts <dir>/<file>.cpuprofile\` lists where the CPU time went.

Reference machine: ${machineLine(machine)}.
The load generator, the server and the database share these CPUs, so absolute figures are lower than on a
server with the database elsewhere; compare runs on the same machine.

Each section below is generated between its \`<!-- bench:<name>:start -->\` and \`<!-- bench:<name>:end -->\`
markers; the text outside the markers is written by hand.
`;
}

/** Writes (or replaces) each section's block in docs/benchmarks.md, creating the file if missing. */
export function writeReport(file: string, sections: SectionReport[], run: RunInfo): void {
  let doc = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : intro(run.machine);
  for (const section of sections) {
    const start = `<!-- bench:${section.id}:start -->`;
    const end = `<!-- bench:${section.id}:end -->`;
    const block = `${start}\n${generatedBlock(section, run)}\n${end}`;
    const from = doc.indexOf(start);
    const to = doc.indexOf(end);
    if (from !== -1 && to > from) {
      doc = doc.slice(0, from) + block + doc.slice(to + end.length);
    } else if (from === -1 && to === -1) {
      doc = `${doc.trimEnd()}\n\n${block}\n`;
    } else {
      throw new Error(`${path.basename(file)}: the markers for "${section.id}" are incomplete or out of order; fix them by hand.`);
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc);
}
