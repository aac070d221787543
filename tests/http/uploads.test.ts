import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { HttpClient, startAppServer } from "../support/app-server.ts";
import { craftedPng, hasGpsTag, photoWithGps } from "../support/crafted-images.ts";
import { GOOD_PASSWORD, makeUser } from "../support/factories.ts";
import { inEnglish } from "../support/messages.ts";

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

test("an uploaded PNG is served back to its uploader with its real type and nosniff, for their browser only until a post shows it", async () => {
  const user = await makeUser();
  const client = new HttpClient(server!.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  const response = await upload(client, PNG, "photo.png", "image/png");
  expect(response.status).toBe(200);
  const { src } = (await response.json()) as { src: string };
  const served = await client.get(src);
  expect(served.status).toBe(200);
  expect(served.headers.get("content-type")).toBe("image/png");
  expect(served.headers.get("x-content-type-options")).toBe("nosniff");
  expect(served.headers.get("cache-control")).toBe("private, no-cache");
  expect(await sharp(Buffer.from(await served.arrayBuffer())).metadata()).toMatchObject({ format: "png", width: 1, height: 1 });
  // Not used by any post yet: a random key is not a permission.
  expect((await fetch(server!.url + src)).status).toBe(404);
});

/** A PNG whose bytes differ with `n` (the same bytes twice are one upload). */
function distinctPng(n: number): Promise<Buffer> {
  return sharp({ create: { width: 1 + (n % 7), height: 1 + Math.floor(n / 7), channels: 3, background: { r: n * 17 % 256, g: 40, b: 90 } } }).png().toBuffer();
}

test("the same image sent twice at once and once more answers the same path and stores one row", async () => {
  const { user, client } = await signedIn();
  const image = await distinctPng(3);
  const replies = await Promise.all([upload(client, image, "a.png", "image/png"), upload(client, image, "a.png", "image/png")]);
  const later = await upload(client, image, "a-again.png", "image/png");
  const sources = await Promise.all([...replies, later].map(async (r) => ({ status: r.status, src: ((await r.json()) as { src: string }).src })));
  expect(sources.map((r) => r.status)).toEqual([200, 200, 200]);
  expect(new Set(sources.map((r) => r.src)).size).toBe(1);
  expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(1);
  // Another image is another upload.
  expect((await upload(client, await distinctPng(4), "b.png", "image/png")).status).toBe(200);
  expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(2);
});

test("HTML disguised as a PNG is refused with a clear message", async () => {
  const user = await makeUser();
  const client = new HttpClient(server!.url);
  await client.signIn(user.email, GOOD_PASSWORD);
  const response = await upload(client, Buffer.from("<script>alert(1)</script>"), "evil.png", "image/png");
  expect(response.status).toBe(400);
  expect(JSON.stringify(inEnglish(await response.json()))).toContain("PNG, JPEG, GIF or WebP");
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
  expect(inEnglish(await response.json())).toMatchObject({ ok: false, fieldErrors: { file: [expect.stringContaining("at most 10,000 pixels")] } });
  expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(0);
});

test("the copy of a photo that is served back has no EXIF and no GPS position", async () => {
  const { client } = await signedIn();
  const photo = await photoWithGps();
  expect(hasGpsTag((await sharp(photo).metadata()).exif)).toBe(true);
  const response = await upload(client, photo, "IMG_0001.jpg", "image/jpeg");
  expect(response.status).toBe(200);
  const served = Buffer.from(await (await client.get(((await response.json()) as { src: string }).src)).arrayBuffer());
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
    last = await upload(client, await distinctPng(i), `shot-${i}.png`, "image/png");
    statuses.push(last.status);
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(23 * 3600);
  expect(inEnglish(await last!.json())).toMatchObject({ formErrors: [expect.stringMatching(/New accounts can upload at most 5 images a day/)] });
});

function docWithImage(text: string, src: string): string {
  return JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }, { type: "image", attrs: { src, alt: "Screenshot" } }] });
}

test("an image follows the content that shows it: everyone sees it in a visible post, nobody but its uploader and moderators once the post is hidden", async () => {
  const { setPostHidden, deletePost } = await import("~/modules/questions/moderate-post.server.ts");
  const { postAnswer } = await import("~/modules/questions/post-answer.server.ts");
  const { makeQuestion } = await import("../support/factories.ts");
  const { user: helper, client: helperClient } = await signedIn();
  const { client: otherMember } = await signedIn();
  const moderator = await makeUser({ role: "moderator" });
  const moderatorClient = new HttpClient(server!.url);
  await moderatorClient.signIn(moderator.email, GOOD_PASSWORD);
  const visitor = new HttpClient(server!.url);

  const { src } = (await (await upload(helperClient, await distinctPng(20), "screen.png", "image/png")).json()) as { src: string };
  const asker = await makeUser();
  const { threadId, postId: questionPostId } = await makeQuestion(asker.id);
  const answer = await postAnswer(helper.id, threadId, { body: docWithImage("The export button is in the top right corner:", src) });
  if (!answer.ok) throw new Error(JSON.stringify(answer));
  const answerId = answer.value.answerId;

  const status = async (client: HttpClient) => (await client.get(src)).status;
  const shown = await visitor.get(src);
  expect(shown.status).toBe(200);
  expect(shown.headers.get("cache-control")).toBe("public, max-age=60, must-revalidate");
  expect((await visitor.get(src, { "If-None-Match": shown.headers.get("etag")! })).status).toBe(304);

  expect((await setPostHidden(moderator.id, answerId, true, { reason: "spam" })).ok).toBe(true);
  expect([await status(visitor), await status(otherMember), await status(helperClient), await status(moderatorClient)]).toEqual([404, 404, 200, 200]);
  // A cached copy's revalidation gets no 304 either.
  expect((await visitor.get(src, { "If-None-Match": shown.headers.get("etag")! })).status).toBe(404);

  expect((await setPostHidden(moderator.id, answerId, false)).ok).toBe(true);
  expect(await status(visitor)).toBe(200);

  // The whole thread hidden (its question hidden): its answers' images go with it.
  expect((await setPostHidden(moderator.id, questionPostId, true, { reason: "internal" })).ok).toBe(true);
  expect(await status(visitor)).toBe(404);
  expect((await setPostHidden(moderator.id, questionPostId, false)).ok).toBe(true);
  expect(await status(visitor)).toBe(200);

  expect((await deletePost(helper.id, answerId)).ok).toBe(true);
  expect([await status(visitor), await status(otherMember), await status(helperClient)]).toEqual([404, 404, 200]);
});

test("an image in a draft article is for the people who manage articles until it is published", async () => {
  const { createArticle } = await import("~/modules/kb/create-article.server.ts");
  const { publishArticle } = await import("~/modules/kb/change-article-status.server.ts");
  const { makeCategory } = await import("../support/factories.ts");
  const staff = await makeUser({ role: "staff" });
  const staffClient = new HttpClient(server!.url);
  await staffClient.signIn(staff.email, GOOD_PASSWORD);
  const { client: member } = await signedIn();
  const visitor = new HttpClient(server!.url);
  const { src } = (await (await upload(staffClient, await distinctPng(21), "kb.png", "image/png")).json()) as { src: string };
  const category = await makeCategory();
  const article = await createArticle(staff.id, { title: "Exporting invoices as CSV files", categoryId: String(category.id), tags: "billing", body: docWithImage("Open Billing, then Invoices, then Export.", src) });
  if (!article.ok) throw new Error(JSON.stringify(article));
  expect([(await visitor.get(src)).status, (await member.get(src)).status]).toEqual([404, 404]);
  expect((await publishArticle(staff.id, article.value.articleId)).ok).toBe(true);
  expect([(await visitor.get(src)).status, (await member.get(src)).status]).toEqual([200, 200]);
});
