import { hasPrivilege } from "~/modules/reputation/thresholds.ts";
import type { Actor } from "~/modules/users/roles.ts";

/** A signed-in member as the Q&A policies see them: their role, status and reputation. */
export type Member = Actor & { reputation: number };

/**
 * Who may do what in a thread. Every function denies unless a rule allows; loaders send the
 * answers to the UI as `can` flags, and the use cases ask again before changing anything.
 */
const active = (m: Member | null | undefined): m is Member => !!m && m.status === "active";
const isModeratorOrStaff = (m: Member) => m.role === "moderator" || m.role === "staff" || m.role === "admin";

export function canAsk(member: Member | null | undefined): boolean {
  return active(member);
}

export function canAnswer(member: Member | null | undefined): boolean {
  return active(member);
}

/** The asker, or a moderator or staff member, marks (changes, withdraws) the accepted answer. */
export function canAccept(member: Member | null | undefined, thread: { authorId: string }): boolean {
  return active(member) && (member.id === thread.authorId || isModeratorOrStaff(member));
}

/** Authors edit their own posts; moderators, staff and admins (and, later, high reputation) edit any. */
export function canEdit(member: Member | null | undefined, post: { authorId: string }): boolean {
  return active(member) && (member.id === post.authorId || isModeratorOrStaff(member) || hasPrivilege(member, "editOthersPosts"));
}

/** Votes go on other people's posts only; a downvote needs its privilege. */
export function canVote(member: Member | null | undefined, post: { authorId: string }, value: -1 | 0 | 1): boolean {
  if (!active(member) || member.id === post.authorId) return false;
  return value >= 0 || hasPrivilege(member, "downvote");
}

/**
 * Comments: on your own thread and under your own posts always (to answer who comments on your answer), elsewhere
 * with the "comment everywhere" privilege.
 */
export function canComment(member: Member | null | undefined, thread: { authorId: string }, post?: { authorId: string }): boolean {
  return active(member) && (member.id === thread.authorId || member.id === post?.authorId || hasPrivilege(member, "commentEverywhere"));
}

export function canCreateTag(member: Member | null | undefined): boolean {
  return active(member) && hasPrivilege(member, "createTag");
}

export function canManageCategories(member: Actor | null | undefined): boolean {
  return !!member && member.status === "active" && member.role === "admin";
}

/** Moderators, staff and admins hide and show posts and delete any post. */
export function canModerate(member: Member | null | undefined): boolean {
  return active(member) && isModeratorOrStaff(member);
}

/** Authors delete their own answers, and their own question while nobody has answered it. */
export function canDeletePost(member: Member | null | undefined, post: { authorId: string; kind: "question" | "answer" }, thread: { answerCount: number }): boolean {
  if (!active(member)) return false;
  if (isModeratorOrStaff(member)) return true;
  return member.id === post.authorId && (post.kind === "answer" || thread.answerCount === 0);
}

/** Hidden and deleted threads are visible to moderators and staff only. */
export function canSeeHidden(member: Actor | null | undefined): boolean {
  return !!member && member.status === "active" && (member.role === "moderator" || member.role === "staff" || member.role === "admin");
}

type Removable = { hiddenAt: Date | null; deletedAt: Date | null };

/**
 * Whether anything of a thread may be shown (its page, slug, revisions, edit form): a live thread
 * to everyone, a hidden or deleted one to moderators, staff and admins only. Everyone else gets the
 * same 404 as for a thread that never existed, on every route.
 */
export function canReadThread(member: Actor | null | undefined, thread: Removable): boolean {
  return (!thread.hiddenAt && !thread.deletedAt) || canSeeHidden(member);
}

/** A post of a readable thread: a deleted post to nobody (only its history row stays), a hidden one to moderators, staff and admins. */
export function canReadPost(member: Actor | null | undefined, post: Removable & { thread: Removable }): boolean {
  return !post.deletedAt && (!post.hiddenAt || canSeeHidden(member)) && canReadThread(member, post.thread);
}
