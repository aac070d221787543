import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "~/server/embedded-postgres.ts";

export type ServerProcess = { url: string; child: ChildProcess; output: () => string };

/**
 * Runs the production server (`app/cli/start.ts`, as `npm start` does after building) as a real
 * process in its own process group, so a test can kill -9 all of it.
 */
export async function startServerProcess(env: Record<string, string | undefined>, timeoutMs = 120_000): Promise<ServerProcess> {
  const port = await freePort();
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" })) {
    if (v !== undefined) childEnv[k] = v;
  }
  delete childEnv.NODE_OPTIONS;
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["app/cli/start.ts"], { env: childEnv as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
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
