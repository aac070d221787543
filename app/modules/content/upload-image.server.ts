import crypto from "node:crypto";
import sharp from "sharp";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { getStorage } from "~/utils/storage.server.ts";
import { forbidden, invalid, ok, rateLimited, type Result } from "~/utils/http.server.ts";
import { consume, LIMITS } from "~/utils/rate-limit.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { IMAGE_LIMITS } from "./image-limits.ts";
import { processImage, type ImageType } from "./process-image.server.ts";
import { checkUploadQuota } from "./upload-quota.server.ts";
import { msg } from "~/utils/messages.ts";

export const MAX_IMAGE_BYTES = IMAGE_LIMITS.maxBytes;

/** The image type from the file's first bytes; the name and the declared type are never trusted. */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return { ext: "png", contentType: "image/png" };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { ext: "jpg", contentType: "image/jpeg" };
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return { ext: "gif", contentType: "image/gif" };
  if (b.length >= 12 && String.fromCharCode(...b.slice(0, 4)) === "RIFF" && String.fromCharCode(...b.slice(8, 12)) === "WEBP") return { ext: "webp", contentType: "image/webp" };
  return null;
}

/** The path of the member's earlier upload of the same bytes, if any. */
async function sameUpload(db: Tx | typeof prisma, ownerId: string, sourceSha256: string): Promise<string | null> {
  const row = await db.upload.findUnique({ where: { ownerId_sourceSha256: { ownerId, sourceSha256 } }, select: { id: true } });
  return row ? `/uploads/${row.id}` : null;
}

/**
 * Stores an uploaded image for use in a post (docs/decisions/015 and 033). Rules, cheapest first:
 * signed-in active members only; at most 5 MiB; PNG, JPEG, GIF or WebP as told by the bytes
 * themselves; at most LIMITS.uploadsPerMember images an hour (each attempt that gets this far
 * counts) and the daily quota (UPLOAD_QUOTA, fewer for new accounts); dimensions from the header
 * within IMAGE_LIMITS. What is stored is the re-encoded copy without metadata. The quota is checked
 * again under the member's row lock, in the transaction that records the row and writes the file.
 * The same bytes sent again by the same member (a double click, a retry) get the first upload's path
 * and write nothing, checked before the rate limit and again under the row lock (issue 16, item 8).
 * Returns the same-site path the sanitizer allows in image tags (/uploads/<key>).
 */
export async function uploadImage(actorId: string, file: { bytes: Uint8Array }): Promise<Result<{ src: string }>> {
  // The same image sent again (a double click, a retry after a timeout) answers with the first copy,
  // before the rate limit: a retry costs nothing.
  const sourceSha256 = crypto.createHash("sha256").update(file.bytes).digest("hex");
  const earlier = file.bytes.length > 0 ? await sameUpload(prisma, actorId, sourceSha256) : null;
  if (earlier && (await loadMember(actorId))?.status === "active") return ok({ src: earlier });
  const checked = await checkImage(actorId, file.bytes);
  if (!checked.ok) return checked;
  const { type, image } = checked.value;
  const key = `${crypto.randomBytes(18).toString("base64url")}.${type.ext}`;
  return storeImage(actorId, key, type.contentType, image.bytes, async () => ok({ src: `/uploads/${key}` }), { sourceSha256, earlier: (src) => ok({ src }) });
}

/** The side of a stored avatar, in pixels: twice the largest size a page shows, for sharp screens. */
export const AVATAR_SIDE = 256;

/**
 * A member's profile picture (issue 24, ADR 052): the same rules as any image (uploadImage: active member,
 * size, sniffed type, hourly rate, daily quota, header dimensions, re-encoded without metadata), then
 * cropped to a centred square and resized to AVATAR_SIDE as WebP (an animated image keeps its first frame).
 * The row, the file and users.avatar_key change in one transaction. Once per submission (ADR 030): a repeat
 * of the same form (a double click, a resent POST) stores nothing and gets the first picture.
 */
export async function uploadAvatar(actorId: string, file: { bytes: Uint8Array }, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ avatarKey: string }>> {
  const again = await earlierAnswer<{ avatarKey: string }>(submission);
  if (again) return again;
  const checked = await checkImage(actorId, file.bytes);
  if (!checked.ok) return checked;
  let square: Buffer;
  try {
    square = await sharp(checked.value.image.bytes, { limitInputPixels: IMAGE_LIMITS.maxPixels }).resize(AVATAR_SIDE, AVATAR_SIDE, { fit: "cover", position: "centre" }).webp({ quality: 85 }).toBuffer();
  } catch {
    return invalid({ file: ["messages.content.imageUnreadable"] });
  }
  const key = `${crypto.randomBytes(18).toString("base64url")}.webp`;
  return storeImage(actorId, key, "image/webp", square, async (tx) => {
    await tx.user.update({ where: { id: actorId }, data: { avatarKey: key } });
    return ok({ avatarKey: key });
  }, undefined, submission);
}

/** Back to the generated avatar; the uploaded file stays (other pages may still show it until they reload). */
export async function removeAvatar(actorId: string): Promise<Result<{ avatarKey: null }>> {
  const member = await loadMember(actorId);
  if (!member || member.status !== "active") return forbidden("messages.content.signInAvatar");
  await prisma.user.update({ where: { id: actorId }, data: { avatarKey: null } });
  return ok({ avatarKey: null });
}

/** Every check an uploaded image passes, cheapest first, and its re-encoded copy. */
async function checkImage(actorId: string, bytes: Uint8Array): Promise<Result<{ type: ImageType; image: { bytes: Buffer } }>> {
  const member = await loadMember(actorId);
  if (!member || member.status !== "active") return forbidden("messages.content.signInUpload");
  if (bytes.length === 0) return invalid({ file: ["messages.content.chooseImage"] });
  if (bytes.length > MAX_IMAGE_BYTES) return invalid({ file: ["messages.content.imageTooBig"] });
  const type = sniffImageType(bytes);
  if (!type) return invalid({ file: ["messages.content.imageType"] });
  const rate = await consume("uploadsPerMember", actorId);
  if (rate.limited) {
    const wait = rate.retryAfterSeconds;
    return rateLimited(msg("messages.content.uploadsPerHour", { count: LIMITS.uploadsPerMember.points, wait }), wait);
  }
  const overQuota = await checkUploadQuota(prisma, actorId, 0);
  if (overQuota) return overQuota;

  const image = await processImage(bytes, type);
  if (!image.ok) return invalid({ file: [image.message] });
  return ok({ type, image: { bytes: image.bytes } });
}

/**
 * The quota again under the member's row lock, the row, then the file, in one transaction, which first
 * claims the form's submission (ADR 030) when there is one: a copy sent at the same moment stores nothing.
 */
async function storeImage<T>(
  actorId: string,
  key: string,
  contentType: string,
  bytes: Buffer,
  then: (tx: Tx) => Promise<Result<T>>,
  dedupe?: { sourceSha256: string; earlier: (src: string) => Result<T> },
  submission: Submission = NO_SUBMISSION_KEY,
): Promise<Result<T>> {
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<T>> => {
    await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${actorId} FOR NO KEY UPDATE`;
    if (dedupe) {
      const sentAtOnce = await sameUpload(tx, actorId, dedupe.sourceSha256);
      if (sentAtOnce) return dedupe.earlier(sentAtOnce);
    }
    const limited = await checkUploadQuota(tx, actorId, bytes.length);
    if (limited) return limited;
    await tx.upload.create({ data: { id: key, ownerId: actorId, contentType, bytes: bytes.length, sourceSha256: dedupe?.sourceSha256 ?? null } });
    const result = await then(tx);
    // Written last, inside the transaction: if the write fails, the row is rolled back with it.
    await getStorage().put(key, bytes, contentType);
    return result;
  }));
}
