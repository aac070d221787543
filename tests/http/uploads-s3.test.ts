import sharp from "sharp";
import { afterAll, beforeAll, expect, test } from "vitest";
import { S3Storage } from "~/utils/storage.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";
import { startFakeS3 } from "../support/s3-server.ts";

// UPLOAD_STORAGE=s3 against an S3-compatible server on 127.0.0.1 (ADR 066): the app's uploads go to the
// bucket, not to a directory, so several app servers need no shared disk.
const BUCKET = "threadwise-test";
const ACCESS_KEY = "AKIATHREADWISETEST";
const SECRET = "secret-of-the-fake-s3-server";
let s3: Awaited<ReturnType<typeof startFakeS3>>;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

beforeAll(async () => {
  s3 = await startFakeS3({ bucket: BUCKET, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET });
  Object.assign(process.env, {
    UPLOAD_STORAGE: "s3",
    UPLOAD_DIR: "/nonexistent/uploads-must-not-be-used",
    S3_BUCKET: BUCKET,
    S3_REGION: "eu-central-1",
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: ACCESS_KEY,
    S3_SECRET_ACCESS_KEY: SECRET,
    S3_PREFIX: "uploads/",
  });
  server = await startAppServer();
});
afterAll(async () => {
  await server?.close();
  await s3?.close();
});

async function upload(client: HttpClient, bytes: Buffer, name: string, type: string) {
  const body = new FormData();
  body.set("csrf", await client.csrfToken("/"));
  body.set("file", new Blob([new Uint8Array(bytes)], { type }), name);
  return fetch(`${server!.url}/uploads`, { method: "POST", body, headers: { Cookie: client.cookieHeader(), Origin: server!.url } });
}

test("an image uploaded through the app is stored in the bucket and read back through /uploads/<key>", async () => {
  const user = await makeUser();
  const client = new HttpClient(server!.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  const image = await sharp({ create: { width: 3, height: 2, channels: 3, background: { r: 200, g: 30, b: 60 } } }).png().toBuffer();
  const response = await upload(client, image, "图片-fotografie.png", "image/png");
  expect(response.status).toBe(200);
  const { src } = (await response.json()) as { src: string };
  const key = src.replace(/^\/uploads\//, "");

  // In the bucket, under the prefix, with the key the app made (not the file's name).
  const stored = s3.objects.get(`uploads/${key}`);
  expect(stored, `objects: ${[...s3.objects.keys()].join(", ")}`).toBeDefined();
  expect(stored!.contentType).toBe("image/png");
  expect(s3.requests).toContainEqual({ method: "PUT", path: `/${BUCKET}/uploads/${key}` });

  const served = await client.get(src);
  expect(served.status).toBe(200);
  expect(served.headers.get("content-type")).toBe("image/png");
  const bytes = Buffer.from(await served.arrayBuffer());
  expect(bytes.equals(stored!.bytes)).toBe(true);
  expect(await sharp(bytes).metadata()).toMatchObject({ format: "png", width: 3, height: 2 });

  // list() (backups) sees it, through ListObjectsV2.
  const storage = new S3Storage({ bucket: BUCKET, region: "eu-central-1", endpoint: s3.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET, prefix: "uploads/" });
  const listed: string[] = [];
  for await (const k of storage.list()) listed.push(k);
  expect(listed).toContain(key);
  expect((await storage.get(key))?.bytes.equals(stored!.bytes)).toBe(true);
  expect(await storage.get("AAAAAAAAAAAAAAAAAAAAAAAA.png")).toBeNull(); // a 404 from the bucket is "not found"
  // A wrong secret is refused by the bucket, and the store says so (it is not "not found").
  const wrong = new S3Storage({ bucket: BUCKET, region: "eu-central-1", endpoint: s3.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: "not-the-secret", prefix: "uploads/" });
  await expect(wrong.get(key)).rejects.toThrow();
});

test("keys stay validated: path tricks never reach the bucket", async () => {
  const storage = new S3Storage({ bucket: BUCKET, region: "eu-central-1", endpoint: s3.endpoint, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET });
  const before = s3.requests.length;
  for (const key of ["../../etc/passwd", "a/b.png", "AAAAAAAAAAAAAAAAAAAAAAAA.svg", "短.png"]) {
    expect(await storage.get(key), key).toBeNull();
    await expect(storage.put(key, new Uint8Array([1]), "image/png"), key).rejects.toThrow("invalid storage key");
  }
  for (const key of ["..%2F..%2Fetc%2Fpasswd", "AAAAAAAAAAAAAAAAAAAAAAAA.svg"]) {
    expect((await fetch(`${server!.url}/uploads/${key}`)).status, key).toBe(404);
  }
  expect(s3.requests.slice(before)).toEqual([]);
});
