import type { Actor } from "~/modules/users/roles.ts";

/**
 * Who may do what with articles. Every function denies unless a rule allows; loaders send the
 * answers to the UI as `can` flags and the use cases ask again before changing anything.
 */
const active = (a: Actor | null | undefined): a is Actor => !!a && a.status === "active";

/** Staff, moderators (and admins) write, publish, archive, assign owners and promote threads. */
export function canManageArticles(actor: Actor | null | undefined): boolean {
  return active(actor) && (actor.role === "moderator" || actor.role === "staff" || actor.role === "admin");
}

/** Published articles are public; drafts and archived articles are for the people who manage them. */
export function canReadArticle(actor: Actor | null | undefined, article: { status: string }): boolean {
  return article.status === "published" || canManageArticles(actor);
}

/** An article's owner is a staff member or moderator (or admin) with an active account. */
export function canOwnArticles(user: { role: string; status: string }): boolean {
  return user.status === "active" && (user.role === "moderator" || user.role === "staff" || user.role === "admin");
}

/** Promoting threads into an article (one, or a cluster from the recurring-topics report). */
export function canPromote(actor: Actor | null | undefined): boolean {
  return canManageArticles(actor);
}
