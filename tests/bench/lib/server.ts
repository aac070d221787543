/**
 * Starts the production server exactly as `npm start` runs it (`node --import tsx app/cli/start.ts` on the
 * built app), as a child process in a process group of its own, waits until it is ready, measures
 * its memory, and stops the whole group. The benchmark measures the real thing, not an in-process
 * stand-in that would share its event loop with the load generator.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "~/server/embedded-postgres.ts";
import { serveCommand } from "../../support/server-process.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;
const OUTPUT_LINES_KEPT = 60;

/** Fixed so runs are repeatable; only ever used against a throwaway benchmark database. */
const BENCH_SESSION_SECRET = "threadwise-benchmark-session-secret-0123456789";

export type BenchServer = {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Pid of the server process we spawned. */
  pid: number;
  /** The server's last lines of output, for error messages. */
  recentOutput: () => string;
  /** Stops the whole process tree: SIGTERM, then SIGKILL after 10 s. Safe to call twice. */
  stop: () => Promise<void>;
};

export type ProcessMemory = { pid: number; command: string; rssKiB: number };

export type ServerOptions = {
  /** Added to (and overriding) the server's environment, e.g. JOBS_IN_PROCESS=false. */
  env?: Record<string, string>;
  /**
   * Directory for a V8 CPU profile of the server (`node --cpu-prof`), written when it stops.
   */
  cpuProfileDir?: string;
};

/** Servers started and not yet stopped, so a benchmark that is interrupted can stop them all. */
const running = new Set<BenchServer>();

export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop().catch((error: unknown) => console.error("Could not stop a server:", error))));
}

export async function startServer(databaseUrl: string, options: ServerOptions = {}): Promise<BenchServer> {
  const buildFile = path.join(ROOT, "build/index.js");
  if (!fs.existsSync(buildFile)) throw new Error(`${path.relative(process.cwd(), buildFile)} is missing: run \`remix build\` first (npm run bench does).`);

  const port = await freePort("127.0.0.1");
  const origin = `http://127.0.0.1:${port}`;
  const serve = serveCommand();
  const args = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(options.cpuProfileDir)}`, ...serve.args] : serve.args;
  const child = spawn(serve.command, args, {
    cwd: ROOT,
    // Its own process group, so stop() reaches anything the server started too.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...serve.env,
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      JOBS_IN_PROCESS: "true",
      SESSION_SECRET: BENCH_SESSION_SECRET,
      ...options.env,
    },
  });
  if (child.pid === undefined) throw new Error("Could not spawn the server (tsx missing?)");
  const pid = child.pid;

  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > OUTPUT_LINES_KEPT) output.shift();
    }
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));

  let stopping: Promise<void> | undefined;
  const server: BenchServer = {
    origin,
    pid,
    recentOutput: () => output.join("\n"),
    stop: () => (stopping ??= stopGroup(child, pid, exited).finally(() => running.delete(server))),
  };
  running.add(server);

  try {
    await waitUntilReady(origin, exited, server.recentOutput);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilReady(origin: string, exited: Promise<number | string>, recentOutput: () => string): Promise<void> {
  let exitCode: number | string | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`The server exited (${exitCode}) before it was ready. Its output:\n${recentOutput()}`);
    try {
      const res = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`The server was not ready within ${READY_TIMEOUT_MS / 1000} s. Its output:\n${recentOutput()}`);
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(child: ChildProcess, pgid: number, exited: Promise<unknown>): Promise<void> {
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    // Already gone.
  }
  const deadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pgid)) {
    process.stderr.write(`The server did not stop within ${STOP_GRACE_MS / 1000} s of SIGTERM; sending SIGKILL.\n`);
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  if (child.exitCode === null && child.signalCode === null) await exited;
}

/**
 * Resident memory of `rootPid` and every descendant, largest first, read from /proc (Linux only).
 * Callers want the largest entry (the app itself) rather than the sum (which would add anything
 * the server started, such as a `tar` of a backup).
 */
export function processTreeMemory(rootPid: number): ProcessMemory[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which is in parentheses and may itself contain spaces.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // Exited while we looked.
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  const result: ProcessMemory[] = [];
  for (const pid of tree) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
      if (rss) result.push({ pid, command, rssKiB: Number(rss[1]) });
    } catch {
      // Exited while we looked.
    }
  }
  return result.sort((a, b) => b.rssKiB - a.rssKiB);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until the server's search stops "warming up" (its base index is loaded), then returns how long
 * that took. A server loads its index in the background after it starts serving, and the statements it
 * reads the shards with are not those of any page.
 */
export async function waitUntilSearchIsWarm(origin: string, query = "warm up", limitMs = 180_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${origin}/search?q=${encodeURIComponent(query)}`, { headers: { accept: "text/html" } });
    const text = await res.text();
    if (res.ok && !text.includes("warming up")) return performance.now() - started;
    if (performance.now() - started > limitMs) throw new Error(`search still warming up after ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
