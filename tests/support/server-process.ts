import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "~/server/embedded-postgres.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type ServerProcess = { url: string; child: ChildProcess; output: () => string };

/**
 * How `npm run serve` (and so `npm start`) starts the server, read from package.json: the variables it
 * sets (glibc's malloc settings, ADR 026) and the command, with `node` resolved to this Node. Tests, the
 * scale-out proof and the benchmark start the server this way, so they test what operators run. The
 * command must be one process that handles its own signals (`node --import tsx …`): the `tsx` launcher
 * relays SIGTERM to its child and SIGKILLs it when the child's event loop does not answer within 60 ms,
 * which a busy server under load does not (a 143 exit and a lost request in the scale-out run).
 */
export function serveCommand(): { env: Record<string, string>; command: string; args: string[] } {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const match = /^((?:[A-Z_]+=\S+\s+)*)(node( \S+)* app\/cli\/start\.ts)$/.exec(scripts.serve ?? "");
  if (!match) throw new Error(`package.json's "serve" script is not "[VAR=value …] node [options] app/cli/start.ts": ${scripts.serve}`);
  const env = Object.fromEntries(
    match[1]!
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
  const [, ...args] = match[2]!.split(" ");
  return { env, command: process.execPath, args };
}

/**
 * Runs the production server (`app/cli/start.ts`, as `npm start` does after building) as a real
 * process in its own process group, so a test can kill -9 all of it.
 */
export async function startServerProcess(env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<ServerProcess> {
  const port = await freePort();
  const serve = serveCommand();
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...serve.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" })) {
    if (v !== undefined) childEnv[k] = v;
  }
  delete childEnv.NODE_OPTIONS;
  const child = spawn(serve.command, serve.args, { cwd: ROOT, env: childEnv as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.status === 200) return { url, child, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  killProcessGroup(child, "SIGKILL");
  throw new Error(`server did not become ready in ${timeoutMs} ms:\n${output}`);
}

export function killProcessGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

export async function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => child.once("exit", () => resolve()));
}
