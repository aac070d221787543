import crypto from "node:crypto";

/**
 * Random bytes for the small values every response makes (the CSP nonce, a CSRF token, a visitor id), drawn
 * from a pool that Node's CSPRNG fills 4 KiB at a time: asking it for 16 or 32 bytes per call was 5 % of the
 * server's CPU on an anonymous cached page (three calls per response, profile of issue 25). Each byte is handed
 * out once, as a copy (no caller holds a view of the pool), and the bytes handed out are zeroed in the pool.
 * Sizes over the pool's go straight to crypto.randomBytes. One pool per process: a new process starts empty.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

export function randomBytes(size: number): Buffer {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`randomBytes: size must be a whole number of bytes, not ${size}`);
  if (size > POOL_BYTES) return crypto.randomBytes(size);
  if (offset + size > pool.length) {
    pool = crypto.randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
