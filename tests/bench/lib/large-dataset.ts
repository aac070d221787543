import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * What the sections that measure the large dataset of `npm run seed:large` share: its members'
 * password, the line a section prints when no such database is named, the load average printed beside
 * each figure, the database URL without its password, and running one of the CLIs of app/cli the way
 * an operator would (a child process on that database).
 */
export const SEED_PASSWORD = process.env.BENCH_LARGE_PASSWORD ?? "threadwise-large-seed";
export const SKIP_LARGE = "skipped: set BENCH_LARGE_DATABASE_URL to a database filled by npm run seed:large";
const ROOT = path.resolve(import.meta.dirname, "../../..");

/** The 1-minute load average, from /proc/loadavg ("?" where there is none). */
export function loadAverage(): string {
  try {
    return fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0] ?? "?";
  } catch {
    return "?";
  }
}

/** The URL as it may be printed: its password replaced. */
export function masked(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "PASSWORD";
  return u.toString();
}

export type CliRun = { code: number | null; stdout: string; stderr: string; wallMs: number };

/**
 * Runs `app/cli/<script>` with tsx on the database `url` (LOG_LEVEL=warn, plus `env`); stderr lines
 * are passed to `onLine` as they come. Resolves with the exit code, whatever it is.
 */
export function runCli(script: string, args: string[], url: string, options: { env?: Record<string, string>; onLine?: (line: string) => void } = {}): Promise<CliRun> {
  const onLine = options.onLine ?? (() => {});
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), [`app/cli/${script}`, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      pending += d.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) onLine(line);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (pending.trim()) onLine(pending);
      resolve({ code, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

/** Like runCli, but fails unless the CLI exits 0; `name` is the npm script an operator would run. */
export async function runCliOrThrow(name: string, script: string, args: string[], url: string, options: { env?: Record<string, string>; onLine?: (line: string) => void } = {}): Promise<CliRun> {
  const run = await runCli(script, args, url, options);
  if (run.code !== 0) throw new Error(`${name} exited ${run.code}: ${(run.stderr + run.stdout).slice(-2000)}`);
  return run;
}

/** The last line of the CLI's stdout that is a JSON object, parsed (the CLIs print their summary so). */
export function lastJsonLine<T>(run: CliRun, name: string): T {
  const json = run.stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop();
  if (!json) throw new Error(`${name} printed no summary line: ${run.stderr.slice(-2000)}`);
  return JSON.parse(json) as T;
}
