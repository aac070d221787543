import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { getStorage } from "~/utils/storage.server.ts";
import { makeUser } from "../../../tests/support/factories.ts";
import { MAX_IMAGE_BYTES, sniffImageType, uploadImage } from "./upload-image.server.ts";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const GIF = Buffer.from("GIF89a\x01\x00\x01\x00", "latin1");
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x1a, 0, 0, 0]), Buffer.from("WEBPVP8 ")]);

beforeAll(() => {
  process.env.UPLOAD_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-uploads-"));
});

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
    expect((await getStorage().get(key))?.bytes.equals(PNG)).toBe(true);
    expect(await prisma.upload.findUniqueOrThrow({ where: { id: key } })).toMatchObject({ ownerId: user.id, contentType: "image/png", bytes: PNG.length });
  });

  test("a file named like an image but holding HTML is refused, and so is one over 5 MB", async () => {
    const user = await makeUser();
    expect(await uploadImage(user.id, { bytes: Buffer.from("<html><body onload=alert(1)>") })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { file: [expect.stringMatching(/PNG, JPEG, GIF or WebP/)] } });
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_IMAGE_BYTES)]);
    expect(await uploadImage(user.id, { bytes: big })).toMatchObject({ ok: false, fieldErrors: { file: [expect.stringMatching(/5 MB/)] } });
    expect(await prisma.upload.count({ where: { ownerId: user.id } })).toBe(0);
  });

  test("suspended members cannot upload", async () => {
    const user = await makeUser();
    await prisma.user.update({ where: { id: user.id }, data: { status: "suspended" } });
    expect(await uploadImage(user.id, { bytes: PNG })).toMatchObject({ kind: "forbidden" });
  });
});
