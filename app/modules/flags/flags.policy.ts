import type { Member } from "~/modules/questions/questions.policy.ts";
import type { Actor } from "~/modules/users/roles.ts";

/**
 * Who may flag and who decides flags (issue 19). Deny unless a rule allows; the thread page and the
 * review queue show controls from these, and the use cases ask again.
 */
const active = (a: Actor | null | undefined): a is Actor => !!a && a.status === "active";

/** Any active member flags a post that is not their own. */
export function canFlag(member: Member | null | undefined, post: { authorId: string }): boolean {
  return active(member) && member.id !== post.authorId;
}

/** Moderators, staff and admins work the review queue (/review). */
export function canReview(actor: Actor | null | undefined): boolean {
  return active(actor) && (actor.role === "moderator" || actor.role === "staff" || actor.role === "admin");
}
