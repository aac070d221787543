import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, test } from "vitest";
import { createLifecycle, trackRequests } from "./graceful-shutdown.ts";

/** Drain behaviour of the request tracker (ADR 062), on a real HTTP server. */

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

async function serve(
  lifecycle: ReturnType<typeof createLifecycle>,
  handler: express.RequestHandler
) {
  const app = express();
  const requests = trackRequests(lifecycle);
  app.use(requests.middleware);
  app.use(handler);
  server = http.createServer(app);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
  };
}

/** One request on its own keep-alive agent; resolves with the response's Connection header. */
function get(
  url: string
): Promise<{ status: number; connection: string | undefined }> {
  const agent = new http.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on("end", () => {
          agent.destroy();
          resolve({
            status: res.statusCode!,
            connection: res.headers.connection,
          });
        });
      })
      .on("error", reject);
  });
}

describe("trackRequests", () => {
  test("a response sent while draining says Connection: close, also for a request that came before the drain began", async () => {
    const lifecycle = createLifecycle();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const arrival = new Promise<void>((r) => (arrived = r));
    const { url, requests } = await serve(lifecycle, (req, res) => {
      if (req.path === "/slow") {
        arrived();
        void held.then(() => res.send("late"));
      } else res.send("ok");
    });

    expect((await get(`${url}/fast`)).connection).toBe("keep-alive");
    const slow = get(`${url}/slow`);
    await arrival;
    expect(requests.inFlight).toBe(1);
    lifecycle.draining = true;
    release();
    expect(await slow).toEqual({ status: 200, connection: "close" });
    expect((await get(`${url}/fast`)).connection).toBe("close");
    expect(requests.inFlight).toBe(0);
  });

  test("while shedding, reads are answered 503 with Retry-After and Connection: close, and writes are still served", async () => {
    const lifecycle = createLifecycle();
    const { url } = await serve(lifecycle, (req, res) => res.send(`${req.method} served`));
    lifecycle.draining = true;
    lifecycle.shedding = true;
    const read = await fetch(`${url}/questions`);
    expect(read.status).toBe(503);
    expect(read.headers.get("retry-after")).toBe("1");
    expect(read.headers.get("connection")).toBe("close");
    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ status: "draining" });
    const write = await fetch(`${url}/questions`, { method: "POST", body: "x" });
    expect(write.status).toBe(200);
    expect(await write.text()).toBe("POST served");
    expect(write.headers.get("connection")).toBe("close");
    expect(lifecycle.lastArrival).toBeGreaterThan(Date.now() - 5_000);
  });

  test("an event stream does not count as in flight", async () => {
    const lifecycle = createLifecycle();
    const { url, requests } = await serve(lifecycle, (_req, res) => {
      // As the Remix adapter writes it: headers set first, then the head.
      res.setHeader("Content-Type", "text/event-stream");
      res.writeHead(200);
      res.write(": open\n\n");
    });
    const opened = new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${url}/stream`, resolve).on("error", reject)
    );
    const res = await opened;
    expect(res.headers["content-type"]).toBe("text/event-stream");
    expect(requests.inFlight).toBe(0);
    await requests.idle();
    res.destroy();
  });
});
