import type { Tx } from "~/utils/db.server.ts";
import { rateLimited, type Failure } from "~/utils/http.server.ts";
import { isNewAccount, NEW_ACCOUNT } from "./thresholds.ts";
import { msg } from "~/utils/messages.ts";

/**
 * The new-account limits (thresholds.ts: NEW_ACCOUNT): a member younger than 24 hours or with
 * reputation under 10 posts at most 3 questions and 10 answers in any 24 hours, and waits 60 s
 * between two posts (questions and answers). Called inside the posting transaction: it locks a new
 * account's row, so two posts sent at once are counted one after the other. Deleted posts still
 * count. Returns a rate-limited failure with the time to wait, or null.
 */
export async function checkNewAccountLimits(tx: Tx, userId: string, kind: "question" | "answer"): Promise<Failure | null> {
  const [user] = await tx.$queryRaw<{ role: string; reputation: number; created_at: Date; now: Date }[]>`
    SELECT role::text AS role, reputation, created_at, now() AS now FROM users WHERE id = ${userId}`;
  if (!user || !isNewAccount({ role: user.role, reputation: user.reputation, createdAt: user.created_at }, user.now)) return null;
  // Only a new account is locked (so its posts sent at once are counted one after the other): an
  // established member's posts do not wait for anything holding their row, such as the reputation
  // handlers. NO KEY UPDATE, like every row lock that changes no key, leaves foreign-key checks alone.
  await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${userId} FOR NO KEY UPDATE`;
  const limit = kind === "question" ? NEW_ACCOUNT.questionsPerDay : NEW_ACCOUNT.answersPerDay;
  const [stats] = await tx.$queryRaw<{ last_post: Date | null; n: number; oldest: Date | null }[]>`
    SELECT
      (SELECT MAX(created_at) FROM posts WHERE author_id = ${userId}) AS last_post,
      (SELECT COUNT(*)::int FROM posts WHERE author_id = ${userId} AND kind::text = ${kind} AND created_at > now() - interval '24 hours') AS n,
      (SELECT MIN(created_at) FROM (
        SELECT created_at FROM posts WHERE author_id = ${userId} AND kind::text = ${kind} AND created_at > now() - interval '24 hours'
        ORDER BY created_at DESC LIMIT ${limit}) recent) AS oldest`;
  const now = user.now.getTime();
  if (stats && stats.n >= limit && stats.oldest) {
    const wait = Math.max(1, Math.ceil((stats.oldest.getTime() + 24 * 3_600_000 - now) / 1000));
    return rateLimited(msg(kind === "question" ? "messages.reputation.newAccountQuestions" : "messages.reputation.newAccountAnswers", { count: limit, wait }), wait);
  }
  if (stats?.last_post) {
    const elapsed = (now - stats.last_post.getTime()) / 1000;
    if (elapsed < NEW_ACCOUNT.secondsBetweenPosts) {
      const wait = Math.max(1, Math.ceil(NEW_ACCOUNT.secondsBetweenPosts - elapsed));
      return rateLimited(msg("messages.reputation.newAccountPace", { count: NEW_ACCOUNT.secondsBetweenPosts, wait }), wait);
    }
  }
  return null;
}
