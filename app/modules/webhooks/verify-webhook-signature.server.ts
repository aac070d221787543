/**
 * How a receiver checks a Threadwise webhook (README "Webhooks", ADR 064). Self-contained on purpose:
 * copy it into the receiving service. `tests` run this very code against real deliveries.
 *
 * The header is `Threadwise-Signature: t=<unix seconds>,v1=<hex>`, where the hex is
 * HMAC-SHA256(secret, `${t}.${rawBody}`). Check it over the raw bytes of the body (before any JSON
 * parsing), compare in constant time, and refuse old timestamps so a captured request cannot be replayed.
 */
import crypto from "node:crypto";

export function verifyWebhookSignature(
  secret: string,
  signatureHeader: string | null | undefined,
  rawBody: string,
  { toleranceSeconds = 300, nowSeconds = Math.floor(Date.now() / 1000) } = {},
): boolean {
  if (!signatureHeader) return false;
  const parts = new Map(signatureHeader.split(",").map((part) => [part.slice(0, part.indexOf("=")).trim(), part.slice(part.indexOf("=") + 1).trim()] as const));
  const timestamp = Number(parts.get("t"));
  const given = parts.get("v1") ?? "";
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = crypto.createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest();
  return crypto.timingSafeEqual(expected, Buffer.from(given, "hex"));
}
