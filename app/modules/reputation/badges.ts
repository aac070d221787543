import { BADGE_THRESHOLDS } from "./thresholds.ts";

/**
 * Every badge (client-safe). `scope` says how often a member can hold it: "once" (a partial unique
 * index allows one live row per member and badge), "post" (once per answer) or "category" (once per
 * category). Only category expert is revocable: it is taken back when its rule no longer holds
 * (docs/decisions/018-badges-privileges-limits.md). Names and rules are in the "reputation.badge"
 * section of the locale files.
 */
export const BADGES = {
  first_question: { level: "bronze", scope: "once", revocable: false },
  first_answer: { level: "bronze", scope: "once", revocable: false },
  first_accepted: { level: "bronze", scope: "once", revocable: false },
  accepted_bronze: { level: "bronze", scope: "once", revocable: false, accepted: BADGE_THRESHOLDS.acceptedBronze },
  accepted_silver: { level: "silver", scope: "once", revocable: false, accepted: BADGE_THRESHOLDS.acceptedSilver },
  accepted_gold: { level: "gold", scope: "once", revocable: false, accepted: BADGE_THRESHOLDS.acceptedGold },
  helpful: { level: "bronze", scope: "post", revocable: false },
  category_expert: { level: "gold", scope: "category", revocable: true },
} as const;

export type BadgeKey = keyof typeof BADGES;
export const BADGE_KEYS = Object.keys(BADGES) as BadgeKey[];

export function isBadgeKey(value: string): value is BadgeKey {
  return Object.hasOwn(BADGES, value);
}
