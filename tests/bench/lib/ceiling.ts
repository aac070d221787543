/**
 * The machine's ceiling for a page: a bare node:http server, in a process of its own, that answers
 * every request with bytes captured once from the app (same status, headers and compressed body).
 * Driving it with the same autocannon settings as the app shows how much of the machine the load
 * generator and the HTTP stack take before the app does any work.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

/** A response as it came over the wire (body still compressed) and its decoded size. */
export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; wire: Buffer; decoded: Buffer };

/** GET with exactly these headers, without following redirects or decoding; 127.0.0.1 only. */
export function fetchRaw(url: string, headers: Record<string, string>): Promise<RawResponse> {
  const target = new URL(url);
  if (target.hostname !== "127.0.0.1") throw new Error(`Benchmarks only target 127.0.0.1, not ${target.hostname}`);
  return new Promise((resolve, reject) => {
    const req = http.get(target, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const wire = Buffer.concat(chunks);
        const encoding = String(res.headers["content-encoding"] ?? "identity");
        try {
          const decoded =
            encoding === "gzip" ? zlib.gunzipSync(wire) : encoding === "br" ? zlib.brotliDecompressSync(wire) : encoding === "deflate" ? zlib.inflateSync(wire) : wire;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, wire, decoded });
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${url} timed out`)));
  });
}

// Runs as CommonJS through `node -e`: no TypeScript loader needed, nothing else in the process.
const SERVER_SOURCE = `
const http = require("node:http");
const fs = require("node:fs");
const pages = new Map(Object.entries(JSON.parse(fs.readFileSync(process.argv[1], "utf8"))).map(([p, v]) => [p, { status: v.status, headers: v.headers, body: Buffer.from(v.body, "base64") }]));
const server = http.createServer((req, res) => {
  const page = pages.get(req.url);
  if (!page) { res.writeHead(404); res.end(); return; }
  res.writeHead(page.status, { ...page.headers, "content-length": page.body.length });
  res.end(page.body);
});
server.keepAliveTimeout = 65000;
server.listen(0, "127.0.0.1", () => process.stdout.write("port " + server.address().port + "\\n"));
`;

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "date"]);

export type CeilingServer = { origin: string; stop: () => Promise<void> };

/** Serves each captured response at its path (path and query, as requested from the app). */
export async function startCeilingServer(pages: Record<string, RawResponse>): Promise<CeilingServer> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-ceiling-")), "pages.json");
  const serialized: Record<string, { status: number; headers: Record<string, string | string[]>; body: string }> = {};
  for (const [pagePath, res] of Object.entries(pages)) {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    serialized[pagePath] = { status: res.status, headers, body: res.wire.toString("base64") };
  }
  fs.writeFileSync(file, JSON.stringify(serialized));
  const child: ChildProcess = spawn(process.execPath, ["-e", SERVER_SOURCE, file], { stdio: ["ignore", "pipe", "inherit"] });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error("The bare node:http server did not start within 10 s")), 10_000);
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        const match = /port (\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once("exit", (code) => reject(new Error(`The bare node:http server exited (${code})`)));
    });
    return { origin: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
