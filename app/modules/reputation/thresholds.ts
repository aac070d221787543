/**
 * The one table of reputation thresholds: privilege → reputation needed. Policies read it; use
 * cases re-check it. Moderators, staff and admins have every privilege whatever their reputation.
 * Until the reputation ledger exists (capability 5) every threshold that would lock new members
 * out is 1, the starting reputation; the reputation issue sets the real values here.
 */
export const THRESHOLDS = {
  createTag: 1,
  downvote: 1,
  commentEverywhere: 1,
  voteToClose: 500,
  editOthersPosts: 1000,
} as const;

export type Privilege = keyof typeof THRESHOLDS;

export function hasPrivilege(actor: { role: string; reputation: number }, privilege: Privilege): boolean {
  if (actor.role === "moderator" || actor.role === "staff" || actor.role === "admin") return true;
  return actor.reputation >= THRESHOLDS[privilege];
}
