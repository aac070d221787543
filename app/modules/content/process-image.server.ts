import sharp, { type Metadata } from "sharp";
import { IMAGE_LIMITS } from "./image-limits.ts";
import { msg } from "~/utils/messages.ts";

// Each upload is decoded once: libvips' operation cache would only keep memory for nothing.
sharp.cache(false);

export type ImageType = { ext: "png" | "jpg" | "gif" | "webp"; contentType: string };
export type ProcessedImage = { ok: true; bytes: Buffer; width: number; height: number; frames: number } | { ok: false; message: string };

const FORMATS: Record<ImageType["ext"], string> = { png: "png", jpg: "jpeg", gif: "gif", webp: "webp" };
const UNREADABLE = "messages.content.imageUnreadable";

/**
 * Checks an uploaded image and makes the copy that is stored (docs/decisions/033). Dimensions come
 * from the header, read by libvips (sharp's `metadata()`, which decodes no pixels: PNG IHDR, JPEG
 * SOF, the GIF screen and frames, WebP VP8/VP8L/VP8X), and are held to IMAGE_LIMITS before any
 * decoding. Then the image is decoded (with the same pixel cap as a second guard), turned upright
 * from its EXIF orientation and re-encoded in its own format, which drops every piece of metadata
 * (EXIF with a phone's GPS position, XMP, comments, ICC after conversion to sRGB) and any bytes
 * that are not the picture. Animated GIF and WebP keep their frames.
 */
export async function processImage(bytes: Uint8Array, type: ImageType): Promise<ProcessedImage> {
  let header: Metadata;
  try {
    header = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, message: UNREADABLE };
  }
  if (header.format !== FORMATS[type.ext] || !header.width || !header.height) return { ok: false, message: UNREADABLE };
  const frames = Math.max(1, header.pages ?? 1);
  const { width, height } = header;
  if (width > IMAGE_LIMITS.maxSide || height > IMAGE_LIMITS.maxSide || width * height * frames > IMAGE_LIMITS.maxPixels) {
    return { ok: false, message: tooLargeMessage(width, height, frames) };
  }

  try {
    const animated = frames > 1;
    let image = sharp(bytes, { animated, limitInputPixels: IMAGE_LIMITS.maxPixels, failOn: "error" });
    // Multi-page images can only be turned by 180 degrees; GIF has no EXIF and animated WebP rarely does.
    if (!animated) image = image.autoOrient();
    if (type.ext === "png") image = image.png({ palette: header.isPalette === true });
    else if (type.ext === "jpg") image = image.jpeg({ quality: 85 });
    else if (type.ext === "gif") image = image.gif();
    else image = image.webp(isLosslessWebp(bytes) ? { lossless: true } : { quality: 85 });
    const { data, info } = await image.toBuffer({ resolveWithObject: true });
    return { ok: true, bytes: data, width: info.width, height: info.pageHeight ?? info.height, frames };
  } catch {
    return { ok: false, message: UNREADABLE };
  }
}

function tooLargeMessage(width: number, height: number, frames: number): string {
  const limits = { maxSide: IMAGE_LIMITS.maxSide, megapixels: IMAGE_LIMITS.maxPixels / 1_000_000, width, height };
  return frames > 1 ? msg("messages.content.animationTooLarge", { ...limits, frames }) : msg("messages.content.imageTooLarge", limits);
}

/** Whether a WebP file holds a lossless (VP8L) bitstream: it is re-encoded losslessly then. */
function isLosslessWebp(bytes: Uint8Array): boolean {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 12; at + 8 <= view.length; ) {
    const fourCC = view.toString("latin1", at, at + 4);
    if (fourCC === "VP8L") return true;
    if (fourCC === "VP8 ") return false;
    at += 8 + view.readUInt32LE(at + 4) + (view.readUInt32LE(at + 4) % 2);
  }
  return false;
}
