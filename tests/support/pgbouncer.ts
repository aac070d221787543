import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type PgBouncer = { url: (databaseUrl: string) => string; port: number; stop: () => Promise<void>; log: () => string };

const CONFIG = path.resolve(import.meta.dirname, "../../deploy/pgbouncer.ini");
export const PGBOUNCER_BIN = process.env.PGBOUNCER_BIN ?? (fs.existsSync("/usr/sbin/pgbouncer") ? "/usr/sbin/pgbouncer" : "pgbouncer");

/** Replaces `key = …` lines of an ini file's text (the keys the repository's config marks "test: replaced"). */
function withSettings(ini: string, settings: Record<string, string | number>): string {
  let text = ini;
  for (const [key, value] of Object.entries(settings)) {
    const line = new RegExp(`^${key}\\s*=.*$`, "m");
    if (!line.test(text)) throw new Error(`deploy/pgbouncer.ini has no ${key} setting`);
    text = text.replace(line, `${key} = ${value}`);
  }
  return text;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

/**
 * Starts a real PgBouncer (Debian's package) with the repository's `deploy/pgbouncer.ini`, on `port`, in
 * front of the PostgreSQL server of `upstreamUrl` (its user and password go into a throwaway auth file).
 * As root it drops to `nobody` (PgBouncer refuses to run as root). Overrides let a test shrink the pool.
 */
export async function startPgBouncer(upstreamUrl: string, port: number, overrides: Record<string, string | number> = {}): Promise<PgBouncer> {
  const upstream = new URL(upstreamUrl);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-pgbouncer-"));
  const user = decodeURIComponent(upstream.username);
  const password = decodeURIComponent(upstream.password);
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  fs.writeFileSync(path.join(dir, "userlist.txt"), `${quote(user)} ${quote(password)}\n`, { mode: 0o600 });
  const ini = withSettings(fs.readFileSync(CONFIG, "utf8"), {
    listen_port: port,
    auth_file: path.join(dir, "userlist.txt"),
    logfile: path.join(dir, "pgbouncer.log"),
    pidfile: path.join(dir, "pgbouncer.pid"),
    ...overrides,
  }).replace(/^\* = host=\S+ port=\d+$/m, `* = host=${upstream.hostname} port=${upstream.port || 5432}`);
  fs.writeFileSync(path.join(dir, "pgbouncer.ini"), ini);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    fs.chmodSync(dir, 0o755);
    for (const f of ["userlist.txt", "pgbouncer.ini"]) fs.chownSync(path.join(dir, f), 65534, 65534);
    fs.chownSync(dir, 65534, 65534);
  }
  const child: ChildProcess = spawn(PGBOUNCER_BIN, [...(asRoot ? ["-u", "nobody"] : []), path.join(dir, "pgbouncer.ini")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const log = () => output + (fs.existsSync(path.join(dir, "pgbouncer.log")) ? fs.readFileSync(path.join(dir, "pgbouncer.log"), "utf8") : "");
  const deadline = Date.now() + 10_000;
  while (!(await accepting(port))) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited (${child.exitCode}):\n${log()}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`pgbouncer did not listen on ${port}:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    log,
    url(databaseUrl: string) {
      const u = new URL(databaseUrl);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
