import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, test } from "vitest";
import { NEW_ACCOUNT, UPLOAD_QUOTA } from "~/modules/reputation/thresholds.ts";
import { prisma } from "~/utils/db.server.ts";
import { LIMITS } from "~/utils/rate-limit.server.ts";
import { getStorage } from "~/utils/storage.server.ts";
import {
  craftedGif,
  craftedJpeg,
  craftedPng,
  craftedWebpVp8,
  craftedWebpVp8l,
  craftedWebpVp8x,
  hasGpsTag,
  photoWithGps,
} from "../../../tests/support/crafted-images.ts";
import { makeUser } from "../../../tests/support/factories.ts";
import { IMAGE_LIMITS } from "./image-limits.ts";
import { MAX_IMAGE_BYTES, sniffImageType, uploadImage } from "./upload-image.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const GIF = Buffer.from("GIF89a\x01\x00\x01\x00", "latin1");
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x1a, 0, 0, 0]), Buffer.from("WEBPVP8 ")]);

let uploadDir: string;
beforeAll(() => {
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-uploads-"));
  process.env.UPLOAD_DIR = uploadDir;
});

/** The stored file of an upload's src. */
async function stored(src: string) {
  const file = await getStorage().get(src.split("/").pop()!);
  if (!file) throw new Error(`nothing stored for ${src}`);
  return file;
}

/** A valid PNG whose bytes differ with `n` (the same bytes twice are one upload, ADR 045). */
function distinctPng(n: number): Promise<Buffer> {
  return sharp({ create: { width: 1 + (n % 9), height: 1 + Math.floor(n / 9), channels: 3, background: { r: (n * 29) % 256, g: 60, b: 120 } } }).png().toBuffer();
}

describe("image uploads", () => {
  test("the type comes from the bytes: PNG, JPEG, GIF and WebP are recognised, anything else is not", () => {
    expect(sniffImageType(PNG)?.contentType).toBe("image/png");
    expect(sniffImageType(JPEG)?.contentType).toBe("image/jpeg");
    expect(sniffImageType(GIF)?.contentType).toBe("image/gif");
    expect(sniffImageType(WEBP)?.contentType).toBe("image/webp");
    for (const fake of [Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"), Buffer.from("<html><script>"), Buffer.from("%PDF-1.7"), Buffer.alloc(0)]) {
      expect(sniffImageType(fake)).toBeNull();
    }
  });

  test("a member uploads a PNG: it is stored under a random key and recorded", async () => {
    const user = await makeUser();
    const result = await uploadImage(user.id, { bytes: PNG });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.src).toMatch(/^\/uploads\/[A-Za-z0-9_-]{24}\.png$/);
    const key = result.value.src.split("/").pop()!;
    const file = await stored(result.value.src);
    expect(await sharp(file.bytes).metadata()).toMatchObject({ format: "png", width: 1, height: 1 });
    expect(await prisma.upload.findUniqueOrThrow({ where: { id: key } })).toMatchObject({ ownerId: user.id, contentType: "image/png", bytes: file.bytes.length });
  });

  test("a file named like an image but holding HTML is refused, and so is one over 5 MB", async () => {
    const user = await makeUser();
    expect(inEnglish(await uploadImage(user.id, { bytes: Buffer.from("<html><body onload=alert(1)>") }))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { file: [expect.stringMatching(/PNG, JPEG, GIF or WebP/)] } });
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_IMAGE_BYTES)]);
    expect(inEnglish(await uploadImage(user.id, { bytes: big }))).toMatchObject({ ok: false, fieldErrors: { file: [expect.stringMatching(/5 MB/)] } });
    expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(0);
  });

  test("suspended members cannot upload", async () => {
    const user = await makeUser();
    await prisma.user.update({ where: { id: user.id }, data: { status: "suspended" } });
    expect(inEnglish(await uploadImage(user.id, { bytes: PNG }))).toMatchObject({ kind: "forbidden" });
  });

  // Each file is a few dozen bytes; before the check, every one of them was stored and served.
  const floods: [string, Buffer, RegExp][] = [
    ["PNG IHDR 20000×20000", craftedPng(20_000, 20_000), /20,000×20,000/],
    ["PNG IHDR 65535×65535", craftedPng(65_535, 65_535), /65,535×65,535/],
    ["PNG IHDR 9000×9000 (each side allowed, 81 megapixels not)", craftedPng(9000, 9000), /9,000×9,000/],
    ["JPEG SOF0 65000×65000", craftedJpeg(65_000, 65_000), /65,000×65,000/],
    ["GIF screen and frame 65535×65535", craftedGif(65_535, 65_535), /65,535×65,535/],
    ["GIF of 50 frames of 1000×1000", craftedGif(1000, 1000, 50), /1,000×1,000 pixels × 50 frames/],
    ["WebP VP8 16383×16383", craftedWebpVp8(16_383, 16_383), /16,383×16,383/],
    ["WebP VP8L 16383×16383", craftedWebpVp8l(16_383, 16_383), /16,383×16,383/],
    ["WebP VP8X 16383×12000", craftedWebpVp8x(16_383, 12_000), /16,383×12,000/],
  ];
  test.each(floods)("a tiny file whose header declares too many pixels is refused before anything is stored: %s", async (_name, bytes, size) => {
    const user = await makeUser();
    expect(bytes.length).toBeLessThan(1024);
    const result = await uploadImage(user.id, { bytes });
    expect(inEnglish(result)).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { file: [expect.stringMatching(/at most 10,000 pixels wide and high and 40 megapixels/)] } });
    expect(result.ok ? "" : JSON.stringify(inEnglish(result))).toMatch(size);
    expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(0);
    expect(fs.readdirSync(uploadDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  test("an image at the limits is accepted: 10,000 pixels wide", async () => {
    const user = await makeUser();
    const wide = await sharp({ create: { width: IMAGE_LIMITS.maxSide, height: 2, channels: 3, background: "#336699" } }).png().toBuffer();
    const result = await uploadImage(user.id, { bytes: wide });
    expect(result.ok).toBe(true);
    if (result.ok) expect(await sharp((await stored(result.value.src)).bytes).metadata()).toMatchObject({ width: IMAGE_LIMITS.maxSide, height: 2 });
  });

  test("a photo's EXIF, GPS position included, is not in the stored copy, which is turned upright instead", async () => {
    const user = await makeUser();
    const photo = await photoWithGps(64, 48);
    const original = await sharp(photo).metadata();
    expect(hasGpsTag(original.exif)).toBe(true);
    expect(original.orientation).toBe(6);

    const result = await uploadImage(user.id, { bytes: photo });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const file = await stored(result.value.src);
    const copy = await sharp(file.bytes).metadata();
    expect(copy).toMatchObject({ format: "jpeg", width: 48, height: 64 });
    expect(copy.exif).toBeUndefined();
    expect(copy.xmp).toBeUndefined();
    expect(copy.orientation).toBeUndefined();
    expect(file.bytes.includes(Buffer.from("Exif\0\0", "latin1"))).toBe(false);
    expect(file.bytes.includes(Buffer.from("PhoneCo"))).toBe(false);
  });

  test("an animated GIF keeps its frames, and an unreadable image is refused", async () => {
    const user = await makeUser();
    const frames = await Promise.all(["#ff0000", "#00ff00", "#0000ff"].map((background) => sharp({ create: { width: 20, height: 10, channels: 3, background } }).png().toBuffer()));
    const animation = await sharp(frames, { join: { animated: true } }).gif({ delay: 100, loop: 0 }).toBuffer();
    const result = await uploadImage(user.id, { bytes: animation });
    expect(result.ok).toBe(true);
    if (result.ok) expect(await sharp((await stored(result.value.src)).bytes).metadata()).toMatchObject({ format: "gif", width: 20, height: 10, pages: 3 });

    // A PNG header with no picture after it.
    expect(inEnglish(await uploadImage(user.id, { bytes: craftedPng(100, 100) }))).toMatchObject({ ok: false, fieldErrors: { file: [expect.stringMatching(/could not be read/)] } });
  });

  test("the same image sent again answers with the first upload and stores one row; another image is another upload", async () => {
    const user = await makeUser();
    const first = await uploadImage(user.id, { bytes: PNG });
    const [again, atOnce] = await Promise.all([uploadImage(user.id, { bytes: PNG }), uploadImage(user.id, { bytes: PNG })]);
    expect(first.ok && again.ok && atOnce.ok).toBe(true);
    if (first.ok && again.ok && atOnce.ok) expect(new Set([first.value.src, again.value.src, atOnce.value.src]).size).toBe(1);
    expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(1);
    expect((await uploadImage(user.id, { bytes: await distinctPng(1) })).ok).toBe(true);
    expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(2);
  });

  test(`a new account uploads at most ${NEW_ACCOUNT.uploadsPerDay} images a day: the next one is refused with the time to wait`, async () => {
    const user = await makeUser({ newAccount: true });
    for (let i = 0; i < NEW_ACCOUNT.uploadsPerDay; i++) expect((await uploadImage(user.id, { bytes: await distinctPng(i) })).ok).toBe(true);
    const refused = await uploadImage(user.id, { bytes: await distinctPng(99) });
    expect(inEnglish(refused)).toMatchObject({ ok: false, kind: "rate-limited", message: expect.stringMatching(/New accounts can upload at most 5 images a day\. You can upload again in 2[34] hours/) });
    expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(NEW_ACCOUNT.uploadsPerDay);
  });

  test(`every member uploads at most ${LIMITS.uploadsPerMember.points} images an hour`, async () => {
    const user = await makeUser();
    for (let i = 0; i < LIMITS.uploadsPerMember.points; i++) expect((await uploadImage(user.id, { bytes: await distinctPng(i) })).ok).toBe(true);
    expect(inEnglish(await uploadImage(user.id, { bytes: await distinctPng(99) }))).toMatchObject({ kind: "rate-limited", message: expect.stringMatching(/at most 20 images an hour/), retryAfterSeconds: expect.any(Number) });
  });

  test("the daily quota counts the images and bytes of the last 24 hours", async () => {
    const user = await makeUser();
    const earlier = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const rows = (n: number, bytes: number, hoursAgo: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `quota${user.id.slice(0, 8)}${hoursAgo}x${i}`.replace(/[^A-Za-z0-9]/g, "") + "aaaaaaaaaaaa.png", ownerId: user.id, contentType: "image/png", bytes, createdAt: earlier(hoursAgo) }));
    await prisma.upload.createMany({ data: rows(UPLOAD_QUOTA.imagesPerDay, 10, 25) }); // older than a day: not counted
    await prisma.upload.createMany({ data: rows(1, UPLOAD_QUOTA.bytesPerDay - 10, 2) });
    expect(inEnglish(await uploadImage(user.id, { bytes: PNG }))).toMatchObject({ kind: "rate-limited", message: expect.stringMatching(/at most 100 MB of images a day\. You can upload again in 22 hours/) });
    await prisma.upload.deleteMany({ where: { ownerId: user.id } });
    await prisma.upload.createMany({ data: rows(UPLOAD_QUOTA.imagesPerDay, 10, 1) });
    expect(inEnglish(await uploadImage(user.id, { bytes: PNG }))).toMatchObject({ kind: "rate-limited", message: expect.stringMatching(/You can upload at most 50 images a day/) });
  });

  test("two uploads sent at once for a new account's last free slot: exactly one is stored", async () => {
    const user = await makeUser({ newAccount: true });
    for (let i = 0; i < NEW_ACCOUNT.uploadsPerDay - 1; i++) expect((await uploadImage(user.id, { bytes: await distinctPng(i) })).ok).toBe(true);
    const results = await Promise.all([uploadImage(user.id, { bytes: await distinctPng(50) }), uploadImage(user.id, { bytes: await distinctPng(51) })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.kind === "rate-limited")).toHaveLength(1);
    expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(NEW_ACCOUNT.uploadsPerDay);
  });
});
