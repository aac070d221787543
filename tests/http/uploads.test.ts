import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

beforeAll(async () => {
  process.env.UPLOAD_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-uploads-http-"));
  server = await startAppServer();
});
afterAll(() => server?.close());

async function upload(client: HttpClient, bytes: Buffer, name: string, type: string) {
  const body = new FormData();
  body.set("csrf", await client.csrfToken("/"));
  body.set("file", new Blob([new Uint8Array(bytes)], { type }), name);
  return fetch(`${server!.url}/uploads`, { method: "POST", body, headers: { Cookie: client.cookieHeader(), Origin: server!.url } });
}

test("an uploaded PNG is served back with its real type, nosniff and a long cache", async () => {
  const user = await makeUser();
  const client = new HttpClient(server!.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  const response = await upload(client, PNG, "photo.png", "image/png");
  expect(response.status).toBe(200);
  const { src } = (await response.json()) as { src: string };
  const served = await fetch(server!.url + src);
  expect(served.status).toBe(200);
  expect(served.headers.get("content-type")).toBe("image/png");
  expect(served.headers.get("x-content-type-options")).toBe("nosniff");
  expect(served.headers.get("cache-control")).toContain("immutable");
  expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
});

test("HTML disguised as a PNG is refused with a clear message", async () => {
  const user = await makeUser();
  const client = new HttpClient(server!.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  const response = await upload(client, Buffer.from("<script>alert(1)</script>"), "evil.png", "image/png");
  expect(response.status).toBe(400);
  expect(JSON.stringify(await response.json())).toContain("PNG, JPEG, GIF or WebP");
});

test("unknown keys and path tricks answer 404", async () => {
  for (const key of ["nope.png", "..%2F..%2Fetc%2Fpasswd", "AAAAAAAAAAAAAAAAAAAAAAAA.svg"]) {
    expect((await fetch(`${server!.url}/uploads/${key}`)).status, key).toBe(404);
  }
});
