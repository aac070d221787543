/**
 * The one table of reputation rules that are numbers: privilege → reputation needed, badge
 * thresholds and the limits on new accounts. Policies read it; use cases re-check it. Moderators,
 * staff and admins have every privilege whatever their reputation and are never limited as new
 * accounts. The points each act earns are in ./points.ts (docs/decisions/017, 018).
 */
export const THRESHOLDS = {
  downvote: 50,
  createTag: 150,
  commentEverywhere: 50,
  voteToClose: 500,
  editOthersPosts: 1000,
} as const;

export type Privilege = keyof typeof THRESHOLDS;

/** Thread states (issue 19, ADR 048): this many members with `voteToClose` close or reopen a thread (moderators act alone). */
export const THREAD_STATE_VOTES = {
  closeVotesNeeded: 3,
} as const;

/** Badge rules (app/modules/reputation/badges.ts lists the badges that use them). */
export const BADGE_THRESHOLDS = {
  acceptedBronze: 10,
  acceptedSilver: 50,
  acceptedGold: 200,
  /** An answer with at least this score earns "Helpful" (once per answer). */
  helpfulScore: 10,
  /** Category expert: at least this many accepted answers in the category… */
  expertAccepted: 10,
  /** …and an average score of the member's answers in that category of at least this. */
  expertAverageScore: 1,
} as const;

/** A member is a "new account" while either holds: younger than this, or reputation below this. */
export const NEW_ACCOUNT = {
  ageHours: 24,
  minReputation: 10,
  questionsPerDay: 3,
  answersPerDay: 10,
  secondsBetweenPosts: 60,
  /** Images uploaded in any 24 hours (instead of UPLOAD_QUOTA.imagesPerDay). */
  uploadsPerDay: 5,
} as const;

/**
 * Image uploads per member in any 24 hours, counted from the uploads table (docs/decisions/033).
 * Applies to every role; the upload rate (LIMITS.uploadsPerMember) comes on top.
 */
export const UPLOAD_QUOTA = {
  imagesPerDay: 50,
  bytesPerDay: 100 * 1024 * 1024,
} as const;

const EXEMPT_ROLES = new Set(["moderator", "staff", "admin"]);

export function hasPrivilege(actor: { role: string; reputation: number }, privilege: Privilege): boolean {
  if (EXEMPT_ROLES.has(actor.role)) return true;
  return actor.reputation >= THRESHOLDS[privilege];
}

/** Whether the new-account limits apply to this member at `now`. */
export function isNewAccount(actor: { role: string; reputation: number; createdAt: Date }, now: Date = new Date()): boolean {
  if (EXEMPT_ROLES.has(actor.role)) return false;
  return now.getTime() - actor.createdAt.getTime() < NEW_ACCOUNT.ageHours * 3_600_000 || actor.reputation < NEW_ACCOUNT.minReputation;
}
