import { hasPrivilege } from "~/modules/reputation/thresholds.ts";
import type { Member } from "~/modules/questions/questions.policy.ts";

/**
 * Who may change a thread's state, and what a thread's state still allows (issue 19, ADR 048).
 * Client-safe and pure; every function denies unless a rule allows. Loaders send the answers to the
 * page as `can` flags; the use cases ask again before changing anything.
 */
const active = (m: Member | null | undefined): m is Member => !!m && m.status === "active";
const isModeratorOrStaff = (m: Member) => m.role === "moderator" || m.role === "staff" || m.role === "admin";

/** The state of a thread as these rules read it. */
export type ThreadState = { closedAt: Date | string | null; lockedAt: Date | string | null; mergedIntoId: bigint | string | null };

/** Close and reopen at once, mark duplicate, merge, lock, pin, move and unlist: moderators, staff and admins. */
export function canManageThreadState(member: Member | null | undefined): boolean {
  return active(member) && isModeratorOrStaff(member);
}

/** Members with the "vote to close" privilege (thresholds.ts) vote to close an open thread or reopen a closed one. */
export function canVoteToClose(member: Member | null | undefined): boolean {
  return active(member) && hasPrivilege(member, "voteToClose");
}

export type ThreadAct = "answer" | "comment" | "vote";

/**
 * Why the thread's state refuses an act, or null when it allows it. A merged thread takes nothing (its
 * posts live in the target now); a locked one takes no answers, comments or votes except from
 * moderators, staff and admins; a closed one takes no new answers (comments and votes go on).
 */
export function stateRefusal(member: Member | null | undefined, thread: ThreadState, act: ThreadAct): "merged" | "locked" | "closed" | null {
  if (thread.mergedIntoId) return "merged";
  const moderator = active(member) && isModeratorOrStaff(member);
  if (thread.lockedAt && !moderator) return "locked";
  if (thread.closedAt && act === "answer") return "closed";
  return null;
}

export const STATE_REFUSAL_MESSAGES = {
  merged: "messages.threadStates.merged",
  locked: "messages.threadStates.locked",
  closed: "messages.threadStates.closed",
} as const;
