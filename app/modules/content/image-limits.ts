/**
 * What an uploaded image may be (docs/decisions/033-image-uploads-checked-and-re-encoded.md). The
 * dimensions are read from the file's header before anything decodes it, so a tiny file that
 * declares 65535×65535 pixels (a "pixel flood") is refused without allocating them. Per-member
 * quotas and the upload rate are elsewhere: UPLOAD_QUOTA (reputation/thresholds.ts) and
 * LIMITS.uploadsPerMember (utils/rate-limit.server.ts).
 */
export const IMAGE_LIMITS = {
  /** The file as uploaded. */
  maxBytes: 5 * 1024 * 1024,
  /** Width and height, each. */
  maxSide: 10_000,
  /** Width × height × frames: 40 megapixels (a 6000×4000 photo is 24, a 480×270 GIF of 300 frames 39). */
  maxPixels: 40_000_000,
} as const;
