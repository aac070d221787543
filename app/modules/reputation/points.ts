/**
 * The one table of reputation points: what each act earns or costs, and whom. The ledger
 * (ledger.server.ts) builds its entries from this table only (docs/decisions/017-reputation-ledger.md).
 */
export const POINTS = {
  /** To the author of an answer voted up. */
  answer_upvoted: 10,
  /** To the author of a question voted up. */
  question_upvoted: 5,
  /** To the author of a post (question or answer) voted down. */
  post_downvoted: -2,
  /** To the member who votes an answer down (downvotes on questions cost nothing). */
  downvote_cast: -1,
  /** To the author of the accepted answer (not when the asker accepts their own answer). */
  answer_accepted: 15,
  /** To the asker whose question has an accepted answer by someone else. */
  accepted_answer_chosen: 2,
} as const;

export type PointsReason = keyof typeof POINTS;

/** Every reason an entry can carry; a reversal is stored as "undo:<id of the entry it cancels>". */
export type LedgerReason = PointsReason | "staff_bonus";

export const STAFF_BONUS_LIMIT = 1000;

/**
 * Every account's reputation before any ledger entry: reputation = STARTING_REPUTATION + the sum of
 * the member's entries, and the floor never lets it drop below this (ledger.server.ts, ADR 017).
 */
export const STARTING_REPUTATION = 1;
