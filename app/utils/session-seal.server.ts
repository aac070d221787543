import crypto from "node:crypto";
import { getEnv } from "./env.server.ts";

/**
 * Sealing a one-time secret to the session that was shown it (ADR 067's rule for API keys): AES-256-GCM
 * under a key derived from SESSION_SECRET, the purpose and the session id. A stored answer of a form
 * (ADR 030) may then carry the secret for a repeat of the same form from the same session, while the
 * database alone, or any other session, cannot open it.
 */
function keyFor(purpose: string, sessionId: string): Buffer {
  return crypto.createHmac("sha256", getEnv().SESSION_SECRET).update(`${purpose}\n${sessionId}`).digest();
}

export function sealForSession(purpose: string, sessionId: string, plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", keyFor(purpose, sessionId), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The sealed text, or null when it was sealed for another session or purpose, or is not a seal at all. */
export function openForSession(purpose: string, sessionId: string, sealed: string): string | null {
  try {
    const raw = Buffer.from(sealed, "base64url");
    if (raw.length < 29) return null;
    const decipher = crypto.createDecipheriv("aes-256-gcm", keyFor(purpose, sessionId), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
