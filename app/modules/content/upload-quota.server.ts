import { isNewAccount, NEW_ACCOUNT, UPLOAD_QUOTA } from "~/modules/reputation/thresholds.ts";
import type { Tx } from "~/utils/db.server.ts";
import { rateLimited, type Failure } from "~/utils/http.server.ts";
import { msg } from "~/utils/messages.ts";

/**
 * The daily upload quota (thresholds.ts: UPLOAD_QUOTA, and NEW_ACCOUNT.uploadsPerDay for new
 * accounts): whether `userId` may store one more image of `bytes` bytes, counting the uploads rows
 * of the last 24 hours. The caller holds the member's row lock when it is about to insert, so two
 * uploads sent at once are counted one after the other. Returns a rate-limited failure with the
 * time to wait, or null.
 */
export async function checkUploadQuota(db: Pick<Tx, "$queryRaw">, userId: string, bytes: number): Promise<Failure | null> {
  const [row] = await db.$queryRaw<{ role: string; reputation: number; created_at: Date; now: Date; n: number; total: number; oldest: Date | null }[]>`
    SELECT u.role::text AS role, u.reputation, u.created_at, now() AS now, w.n, w.total, w.oldest
    FROM users u,
      LATERAL (SELECT COUNT(*)::int AS n, COALESCE(SUM(bytes), 0)::float8 AS total, MIN(created_at) AS oldest
               FROM uploads WHERE owner_id = u.id AND created_at > now() - interval '24 hours') w
    WHERE u.id = ${userId}`;
  if (!row) return null;
  const newAccount = isNewAccount({ role: row.role, reputation: row.reputation, createdAt: row.created_at }, row.now);
  const imagesPerDay = newAccount ? NEW_ACCOUNT.uploadsPerDay : UPLOAD_QUOTA.imagesPerDay;
  const wait = row.oldest ? Math.max(1, Math.ceil((row.oldest.getTime() + 24 * 3_600_000 - row.now.getTime()) / 1000)) : 1;
  if (row.n >= imagesPerDay) {
        return rateLimited(msg(newAccount ? "messages.content.imagesPerDayNew" : "messages.content.imagesPerDay", { count: imagesPerDay, wait }), wait);
  }
  if (row.total + bytes > UPLOAD_QUOTA.bytesPerDay) {
    return rateLimited(msg("messages.content.megabytesPerDay", { count: UPLOAD_QUOTA.bytesPerDay / (1024 * 1024), wait }), wait);
  }
  return null;
}
