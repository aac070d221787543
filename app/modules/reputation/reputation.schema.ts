import { z } from "zod";
import { atLeastParams, hasLength } from "~/modules/content/text-length.ts";
import { bytesForChars } from "~/modules/content/text-limits.ts";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { STAFF_BONUS_LIMIT } from "./points.ts";
import { msg } from "~/utils/messages.ts";

export const LEADERBOARD_PERIODS = ["week", "month", "year", "all"] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];
export const LEADERBOARD_KINDS = ["reputation", "accepted"] as const;
export type LeaderboardKind = (typeof LEADERBOARD_KINDS)[number];

/** The leaderboard's GET query: period, ranking and an optional category slug. */
export const LeaderboardQuery = z.object({
  period: z.enum(LEADERBOARD_PERIODS).catch("week"),
  by: z.enum(LEADERBOARD_KINDS).catch("reputation"),
  category: z
    .string()
    .regex(/^[a-z0-9-]{1,80}$/)
    .optional()
    .catch(undefined),
});

/** A staff bonus: non-zero whole points within ±1000 and a reason the member will read. */
export const BonusSchema = z.object({
  points: z.coerce
    .number({ invalid_type_error: "messages.reputation.points" })
    .int("messages.reputation.points")
    .min(-STAFF_BONUS_LIMIT, msg("messages.reputation.bonusMax", { count: STAFF_BONUS_LIMIT }))
    .max(STAFF_BONUS_LIMIT, msg("messages.reputation.bonusMax", { count: STAFF_BONUS_LIMIT }))
    .refine((n) => n !== 0, "messages.reputation.nonZero"),
  reason: typedText(bytesForChars(200), "messages.common.reason200", { required: "messages.reputation.reasonRequired" }).pipe(
    z.string().max(200, "messages.common.reason200").refine(hasLength(5), msg("messages.reputation.reasonShort", atLeastParams(5))),
  ),
});
