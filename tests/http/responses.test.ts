import http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";

/**
 * How responses go out (app/server/remix-adapter.ts, ADR 027): pages and data whole, with their
 * length, gzipped in one call from 1 KB when the client accepts gzip; small bodies as they are;
 * streamed responses (CSV exports) still compressed on the way.
 */
let server: Awaited<ReturnType<typeof startAppServer>>;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server?.close());

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

function rawGet(path: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = http.get(server.url + path, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

test("a page goes out gzipped once, with the length of what is sent, and whole without gzip for clients that do not take it", async () => {
  const zipped = await rawGet("/questions", { "accept-encoding": "gzip, deflate, br" });
  expect(zipped.status).toBe(200);
  expect(zipped.headers["content-encoding"]).toBe("gzip");
  expect(zipped.headers["transfer-encoding"]).toBeUndefined();
  expect(Number(zipped.headers["content-length"])).toBe(zipped.body.length);
  expect(zipped.headers.vary).toMatch(/accept-encoding/i);
  const html = zlib.gunzipSync(zipped.body).toString("utf8");
  expect(html).toMatch(/^<!DOCTYPE html>/i);
  expect(html).toContain("</html>");

  const plain = await rawGet("/questions", { "accept-encoding": "identity" });
  expect(plain.headers["content-encoding"]).toBeUndefined();
  expect(Number(plain.headers["content-length"])).toBe(plain.body.length);
  expect(plain.body.toString("utf8")).toContain("</html>");
});

test("a data response under 1 KB is sent as it is, with its length", async () => {
  const data = await rawGet(`/login?_data=${encodeURIComponent("routes/login")}`, { "accept-encoding": "gzip, br" });
  expect(data.status).toBe(200);
  expect(data.headers["content-encoding"]).toBeUndefined();
  expect(data.body.length).toBeLessThan(1024);
  expect(Number(data.headers["content-length"])).toBe(data.body.length);
  expect(() => JSON.parse(data.body.toString("utf8"))).not.toThrow();
});

test("a streamed CSV export is still compressed for a client that accepts it", async () => {
  const staff = await makeUser({ role: "staff" });
  const client = new HttpClient(server.url);
  await client.signIn(staff.email, GOOD_PASSWORD);
  const csv = await rawGet("/dashboard/export/daily", { "accept-encoding": "gzip", cookie: client.cookieHeader() });
  expect(csv.status).toBe(200);
  expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
  expect(csv.headers["content-encoding"]).toBe("gzip");
  expect(zlib.gunzipSync(csv.body).toString("utf8")).toMatch(/^\uFEFF?date,/);
});
