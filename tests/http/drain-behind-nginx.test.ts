import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import express from "express";
import { afterAll, describe, expect, test } from "vitest";
import { createLifecycle, shutDownGracefully, trackRequests } from "../../app/server/graceful-shutdown.ts";
import { startNginx } from "../support/nginx.ts";

/**
 * A server leaving the balancer (ADR 062): two app servers behind nginx with the repository's upstream and
 * proxy configuration, members reading and posting through it, and one server shutting down gracefully.
 * No request may fail, above all no POST (nginx never resends one). Before the shed step, every POST that nginx
 * had just connected to the leaving server when its listener closed failed with 502 (8 of 8 in three runs).
 * No database: the servers are the shutdown's own parts around a handler that keeps the CPU busy a little.
 */

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

async function appServer() {
  const lifecycle = createLifecycle();
  const requests = trackRequests(lifecycle);
  const app = express();
  app.use(requests.middleware);
  app.all("*", (req, res) => {
    spin(3);
    res.send(`${req.method} ok`);
  });
  const server = http.createServer(app);
  server.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  return { lifecycle, requests, server, port: (server.address() as AddressInfo).port };
}

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe("a server leaving nginx's upstream", () => {
  test("no request fails, no POST either, while one of two servers drains, sheds reads and closes", async () => {
    const a = await appServer();
    const b = await appServer();
    cleanups.push(() => (a.server.closeAllConnections(), a.server.close()));
    cleanups.push(() => (b.server.closeAllConnections(), b.server.close()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tw-drain-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const nginx = await startNginx(dir, port, [a.port, b.port]);
    cleanups.push(() => nginx.stop());

    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    cleanups.push(() => agent.destroy());
    const failures: string[] = [];
    const answeredBy = new Map<string, number>();
    let running = true;
    const one = (method: "GET" | "POST") =>
      new Promise<void>((resolve) => {
        const req = http.request({ host: "127.0.0.1", port, method, path: "/x", agent }, (res) => {
          res.resume();
          res.on("end", () => {
            const upstream = String(res.headers["x-upstream"] ?? "");
            answeredBy.set(upstream, (answeredBy.get(upstream) ?? 0) + 1);
            if (res.statusCode !== 200) failures.push(`${method} ${res.statusCode} via ${upstream}`);
            resolve();
          });
        });
        req.on("error", (error) => (failures.push(`${method} ${error.message}`), resolve()));
        req.end(method === "POST" ? "body" : undefined);
      });
    const members = Array.from({ length: 16 }, async (_, i) => {
      while (running) await one(i % 2 ? "POST" : "GET");
    });
    await new Promise((r) => setTimeout(r, 500));
    const lines: string[] = [];
    const code = await shutDownGracefully({ lifecycle: b.lifecycle, server: b.server, requests: b.requests, drainMs: 2_200, deadlineMs: 10_000, stopWork: async () => {}, log: (l) => lines.push(l) });
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await Promise.all(members);

    expect(code).toBe(0);
    expect(failures, `${failures.length} failed, ${[...answeredBy].join("; ")}\n${nginx.log().slice(-2_000)}`).toEqual([]);
    // Both servers answered, and reads B shed were answered by A in the same request.
    expect(answeredBy.get(`127.0.0.1:${b.port}`)).toBeGreaterThan(0);
    expect(answeredBy.get(`127.0.0.1:${b.port}, 127.0.0.1:${a.port}`)).toBeGreaterThan(0);
    expect(lines.join("\n")).toMatch(/Reads answered 503 for \d+ ms/);
  }, 60_000);
});
