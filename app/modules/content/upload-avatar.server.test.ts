import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { getStorage } from "~/utils/storage.server.ts";
import { craftedPng, photoWithGps } from "../../../tests/support/crafted-images.ts";
import { makeUser } from "../../../tests/support/factories.ts";
import { AVATAR_SIDE, removeAvatar, uploadAvatar } from "./upload-image.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

beforeAll(() => {
  process.env.UPLOAD_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "threadwise-avatars-"));
});

describe("avatar uploads", () => {
  test("a wide photo becomes a centred square WebP of AVATAR_SIDE pixels without its GPS position, and the member's avatar points at it", async () => {
    const user = await makeUser();
    const photo = await sharp({ create: { width: 900, height: 300, channels: 3, background: { r: 200, g: 30, b: 30 } } }).jpeg().withExif({ IFD0: { Make: "Phone" } }).toBuffer();
    const result = await uploadAvatar(user.id, { bytes: photo });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const file = await getStorage().get(result.value.avatarKey);
    expect(file?.contentType).toBe("image/webp");
    const meta = await sharp(file!.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", AVATAR_SIDE, AVATAR_SIDE]);
    expect(meta.exif).toBeUndefined();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).avatarKey).toBe(result.value.avatarKey);
    expect(await prisma.upload.findUnique({ where: { id: result.value.avatarKey } })).toMatchObject({ ownerId: user.id, contentType: "image/webp" });

    const gps = await uploadAvatar(user.id, { bytes: await photoWithGps(64, 48) });
    expect(gps.ok).toBe(true);
    if (gps.ok) expect((await sharp((await getStorage().get(gps.value.avatarKey))!.bytes).metadata()).exif).toBeUndefined();
  });

  test("the checks of any image apply: not an image, too many pixels, too large, a suspended member; nothing is written", async () => {
    const user = await makeUser();
    const svg = await uploadAvatar(user.id, { bytes: Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>") });
    expect(inEnglish(svg)).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { file: ["Choose a PNG, JPEG, GIF or WebP image"] } });
    const flood = await uploadAvatar(user.id, { bytes: craftedPng(60_000, 60_000) });
    expect(flood).toMatchObject({ ok: false, kind: "invalid" });
    const huge = await uploadAvatar(user.id, { bytes: Buffer.concat([craftedPng(10, 10), Buffer.alloc(6 * 1024 * 1024)]) });
    expect(inEnglish(huge)).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { file: ["Images can be at most 5 MB"] } });
    const suspended = await makeUser();
    await prisma.user.update({ where: { id: suspended.id }, data: { status: "suspended" } });
    const refused = await uploadAvatar(suspended.id, { bytes: await photoWithGps() });
    expect(refused).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await prisma.upload.count({ where: { ownerId: { in: [user.id, suspended.id] } } })).toBe(0);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).avatarKey).toBeNull();
  });

  test("removing the picture goes back to the generated avatar", async () => {
    const user = await makeUser();
    const up = await uploadAvatar(user.id, { bytes: await photoWithGps() });
    expect(up.ok).toBe(true);
    expect(await removeAvatar(user.id)).toEqual({ ok: true, value: { avatarKey: null } });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).avatarKey).toBeNull();
  });
});
