import crypto from "node:crypto";
import { formatWait } from "~/modules/reputation/new-account-limits.server.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { getStorage } from "~/utils/storage.server.ts";
import { forbidden, invalid, ok, rateLimited, type Result } from "~/utils/http.server.ts";
import { consume, LIMITS } from "~/utils/rate-limit.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { IMAGE_LIMITS } from "./image-limits.ts";
import { processImage, type ImageType } from "./process-image.server.ts";
import { checkUploadQuota } from "./upload-quota.server.ts";

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
  const member = await loadMember(actorId);
  if (!member || member.status !== "active") return forbidden("Sign in to upload images");
  if (file.bytes.length === 0) return invalid({ file: ["Choose an image"] });
  if (file.bytes.length > MAX_IMAGE_BYTES) return invalid({ file: ["Images can be at most 5 MB"] });
  const type = sniffImageType(file.bytes);
  if (!type) return invalid({ file: ["Choose a PNG, JPEG, GIF or WebP image"] });
  // The same image sent again (a double click, a retry after a timeout) answers with the first copy.
  const sourceSha256 = crypto.createHash("sha256").update(file.bytes).digest("hex");
  const earlier = await sameUpload(prisma, actorId, sourceSha256);
  if (earlier) return ok({ src: earlier });

  const rate = await consume("uploadsPerMember", actorId);
  if (rate.limited) {
    const wait = rate.retryAfterSeconds;
    return rateLimited(`You can upload at most ${LIMITS.uploadsPerMember.points} images an hour. You can upload again in ${formatWait(wait)}.`, wait);
  }
  const overQuota = await checkUploadQuota(prisma, actorId, 0);
  if (overQuota) return overQuota;

  const image = await processImage(file.bytes, type);
  if (!image.ok) return invalid({ file: [image.message] });

  const key = `${crypto.randomBytes(18).toString("base64url")}.${type.ext}`;
  return prisma.$transaction(async (tx): Promise<Result<{ src: string }>> => {
    await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${actorId} FOR NO KEY UPDATE`;
    const sentAtOnce = await sameUpload(tx, actorId, sourceSha256);
    if (sentAtOnce) return ok({ src: sentAtOnce });
    const limited = await checkUploadQuota(tx, actorId, image.bytes.length);
    if (limited) return limited;
    await tx.upload.create({ data: { id: key, ownerId: actorId, contentType: type.contentType, bytes: image.bytes.length, sourceSha256 } });
    // Written last, inside the transaction: if the write fails, the row is rolled back with it.
    await getStorage().put(key, image.bytes, type.contentType);
    return ok({ src: `/uploads/${key}` });
  });
}
