import { getSiteSettings } from "~/modules/settings/site-settings.server.ts";
import { isNewAccount, SPAM_CHECKS } from "~/modules/reputation/thresholds.ts";
import type { Tx } from "~/utils/db.server.ts";
import { invalid, ok, type Result } from "~/utils/http.server.ts";
import { msg } from "~/utils/messages.ts";

export type HeldFor = "first_post" | "spam_check";

/** Links in a post's sanitized HTML: its anchors, and bare addresses in the text outside them. */
export function countLinks(html: string): number {
  const anchors = html.match(/<a\s/gi)?.length ?? 0;
  const rest = html.replace(/<a\s[\s\S]*?<\/a>/gi, " ").replace(/<[^>]+>/g, " ");
  const bare = rest.match(/\b(?:https?:\/\/|www\.)[^\s<]+/gi)?.length ?? 0;
  return anchors + bare;
}

export function countImages(html: string): number {
  return html.match(/<img\s/gi)?.length ?? 0;
}

/**
 * The spam checks on a new account's post (issue 19, SPAM_CHECKS and NEW_ACCOUNT in thresholds.ts),
 * run inside the posting transaction after the new-account limits: the same text posted again within
 * `repeatBodyMinutes` is refused (400); more links or images than allowed hold the post for review
 * ("spam_check"); with the site setting "approve new members' first posts" on, a member with no
 * published post yet has the post held ("first_post"). Established members, moderators, staff and
 * admins pass. Returns what the post is held for, or null.
 */
export async function screenNewPost(tx: Tx, userId: string, body: { html: string; text: string }): Promise<Result<HeldFor | null>> {
  const [user] = await tx.$queryRaw<{ role: string; reputation: number; created_at: Date; now: Date; repeated: boolean; published: boolean }[]>`
    SELECT role::text AS role, reputation, created_at, now() AS now,
      EXISTS (SELECT 1 FROM posts WHERE author_id = ${userId} AND body_text = ${body.text}
              AND created_at > now() - make_interval(mins => ${SPAM_CHECKS.repeatBodyMinutes})) AS repeated,
      EXISTS (SELECT 1 FROM posts WHERE author_id = ${userId} AND held_for IS NULL AND hidden_at IS NULL AND deleted_at IS NULL) AS published
    FROM users WHERE id = ${userId}`;
  if (!user || !isNewAccount({ role: user.role, reputation: user.reputation, createdAt: user.created_at }, user.now)) return ok(null);
  if (user.repeated) {
    return invalid({ body: [msg("messages.flags.repeatBody", { count: SPAM_CHECKS.repeatBodyMinutes })] });
  }
  if (countLinks(body.html) > SPAM_CHECKS.linksPerPost || countImages(body.html) > SPAM_CHECKS.imagesPerPost) return ok("spam_check");
  if (!user.published && (await getSiteSettings(tx)).approveFirstPosts) return ok("first_post");
  return ok(null);
}

/**
 * Holds a post just written (screenNewPost said so): hidden from everyone but moderators, staff and
 * admins until approved on /review. A held answer leaves the thread's answer count; a held question
 * hides its thread. No notification goes out for it (the fan-out skips hidden posts).
 */
export async function holdPost(tx: Tx, postId: bigint, heldFor: HeldFor): Promise<void> {
  const [post] = await tx.$queryRaw<{ kind: string; thread_id: bigint }[]>`
    UPDATE posts SET hidden_at = now(), held_for = ${heldFor} WHERE id = ${postId} AND hidden_at IS NULL RETURNING kind::text AS kind, thread_id`;
  if (!post) return;
  if (post.kind === "answer") await tx.$executeRaw`UPDATE threads SET answer_count = answer_count - 1 WHERE id = ${post.thread_id}`;
  else await tx.$executeRaw`UPDATE threads SET hidden_at = now() WHERE id = ${post.thread_id}`;
}
