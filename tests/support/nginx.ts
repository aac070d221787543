import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NGINX_BIN = process.env.NGINX_BIN ?? (fs.existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts nginx (Debian's package) as a load balancer on 127.0.0.1:`port` in front of the app servers on
 * `appPorts`, with the repository's deploy/nginx/upstream.conf (only its ports replaced) and
 * deploy/nginx/proxy.conf as they are, in a directory of its own (pid, logs, temp files). As root its
 * workers run as nobody. Responses carry X-Upstream (which server answered) for the caller's bookkeeping.
 */
export async function startNginx(dir: string, port: number, appPorts: readonly number[]): Promise<{ stop: () => Promise<void>; log: () => string }> {
  const asRoot = process.getuid?.() === 0;
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) fs.mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o777 });
  if (asRoot) fs.chmodSync(dir, 0o755);
  // The repository's upstream block, with this run's two ports; proxy.conf as it is.
  let upstream = fs.readFileSync(path.join(ROOT, "deploy/nginx/upstream.conf"), "utf8");
  const servers = [...upstream.matchAll(/server 127\.0\.0\.1:(\d+)/g)];
  if (servers.length !== appPorts.length) throw new Error(`deploy/nginx/upstream.conf lists ${servers.length} app servers, not ${appPorts.length}`);
  servers.forEach((m, i) => (upstream = upstream.replace(m[0], `server 127.0.0.1:${appPorts[i]}`)));
  fs.writeFileSync(path.join(dir, "upstream.conf"), upstream);
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    `${asRoot ? "user nobody nogroup;\n" : ""}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  log_format upstreams '$msec $request_method $uri $status $upstream_addr $upstream_status $request_time';
  access_log ${dir}/access.log upstreams;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/upstream.conf;
  server {
    listen 127.0.0.1:${port};
    # For the test's bookkeeping only: which app server answered.
    add_header X-Upstream $upstream_addr always;
    include ${path.join(ROOT, "deploy/nginx/proxy.conf")};
  }
}
`,
  );
  const child = spawn(NGINX_BIN, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => (s.end(), resolve(true)));
      s.on("error", () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start:\n${output}`);
    await sleep(100);
  }
  return {
    log: () => output + (fs.existsSync(path.join(dir, "error.log")) ? fs.readFileSync(path.join(dir, "error.log"), "utf8") : ""),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGQUIT");
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
