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
  /** Flags of members with at least this much reputation count toward hiding a post (issue 19). */
  flagToHide: 15,
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
 * Flags and the review queue (issue 19, docs/decisions/046). Spam and abuse flags hide a post at once,
 * pending review, when their weights add up to `hideWeight` (one flag of a moderator, staff member or
 * admin weighs `hideWeight` by itself). A member's flag weighs 1 if they have reached
 * THRESHOLDS.flagToHide, else 0. Once `distrustAfterDisagreed` of a member's decided flags were
 * disagreed with, each of their flags weighs their share of agreed flags, agreed ÷ (agreed + disagreed):
 * a flagger who is mostly wrong needs the company of more trusted flaggers to hide anything.
 */
export const FLAGS = {
  hideWeight: 3,
  distrustAfterDisagreed: 3,
  /** Longest "something else" text, and the duplicate link. */
  detailMaxChars: 500,
} as const;

/**
 * Spam checks on new accounts' posts (isNewAccount below; issue 19). A post with more links or images
 * than this is held for review instead of published; the same body posted again within
 * `repeatBodyMinutes` is refused. Site setting "approve new members' first posts" holds first posts too.
 */
export const SPAM_CHECKS = {
  linksPerPost: 2,
  imagesPerPost: 1,
  repeatBodyMinutes: 10,
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
