import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { craftedPng, hasGpsTag, photoWithGps } from "../support/crafted-images.ts";
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
  expect(await sharp(Buffer.from(await served.arrayBuffer())).metadata()).toMatchObject({ format: "png", width: 1, height: 1 });
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

async function signedIn(options: { newAccount?: boolean } = {}) {
  const user = await makeUser(options);
  const client = new HttpClient(server!.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  return { user, client };
}

test("a 66-byte PNG declaring 20000×20000 pixels is refused with 400 and nothing is stored", async () => {
  const { user, client } = await signedIn();
  const flood = craftedPng(20_000, 20_000);
  expect(flood.length).toBeLessThan(70);
  const response = await upload(client, flood, "flood.png", "image/png");
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ ok: false, fieldErrors: { file: [expect.stringContaining("at most 10,000 pixels")] } });
  expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(0);
});

test("the copy of a photo that is served back has no EXIF and no GPS position", async () => {
  const { client } = await signedIn();
  const photo = await photoWithGps();
  expect(hasGpsTag((await sharp(photo).metadata()).exif)).toBe(true);
  const response = await upload(client, photo, "IMG_0001.jpg", "image/jpeg");
  expect(response.status).toBe(200);
  const served = Buffer.from(await (await fetch(server!.url + ((await response.json()) as { src: string }).src)).arrayBuffer());
  const metadata = await sharp(served).metadata();
  expect(metadata).toMatchObject({ format: "jpeg", width: 48, height: 64 });
  expect(metadata.exif).toBeUndefined();
  expect(served.includes(Buffer.from("PhoneCo"))).toBe(false);
});

test("a new account's uploads in a row stop at the daily limit with 429 and Retry-After", async () => {
  const { client } = await signedIn({ newAccount: true });
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 8; i++) {
    last = await upload(client, PNG, `shot-${i}.png`, "image/png");
    statuses.push(last.status);
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(23 * 3600);
  expect(await last!.json()).toMatchObject({ formErrors: [expect.stringMatching(/New accounts can upload at most 5 images a day/)] });
});
