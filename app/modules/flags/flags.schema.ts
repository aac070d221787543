import { z } from "zod";
import { bytesForChars } from "~/modules/content/text-limits.ts";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { FLAGS } from "~/modules/reputation/thresholds.ts";
import { msg } from "~/utils/messages.ts";

/** Why a member flags a post (issue 19). Spam and abuse ("rude") can hide a post at once (FLAGS). */
export const FLAG_REASONS = ["spam", "rude", "off_topic", "duplicate", "other"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
/** The reasons whose flags add up toward hiding a post before review. */
export const HIDING_REASONS: ReadonlySet<FlagReason> = new Set(["spam", "rude"]);
export const FLAG_STATUSES = ["pending", "agreed", "disagreed"] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

const Detail = typedText(bytesForChars(FLAGS.detailMaxChars), msg("messages.field.tooLong", { count: FLAGS.detailMaxChars }), { multiline: true }).pipe(
  z.string().max(FLAGS.detailMaxChars, msg("messages.field.tooLong", { count: FLAGS.detailMaxChars })),
);

/** A link to the original thread: a path on this site (/questions/12/…) or a full http(s) address. */
function isThreadLink(value: string): boolean {
  if (/^\/questions\/[1-9]\d{0,17}(\/|$)/.test(value)) return true;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && /^\/questions\/[1-9]\d{0,17}(\/|$)/.test(url.pathname);
  } catch {
    return false;
  }
}

/**
 * A flag as the form posts it. A duplicate needs the link of the original question; "something else"
 * needs a few words; the other reasons take no text (any sent is dropped).
 */
export const FlagSchema = z
  .object({
    reason: z.enum(FLAG_REASONS, { errorMap: () => ({ message: "messages.flags.reason" }) }),
    detail: Detail.optional().default(""),
  })
  .superRefine((v, ctx) => {
    if (v.reason === "duplicate" && !isThreadLink(v.detail)) {
      ctx.addIssue({ code: "custom", path: ["detail"], message: "messages.flags.duplicateLink" });
    }
    if (v.reason === "other" && v.detail.length < 3) ctx.addIssue({ code: "custom", path: ["detail"], message: "messages.flags.detail" });
  })
  .transform((v) => ({ reason: v.reason, detail: v.reason === "duplicate" || v.reason === "other" ? v.detail : "" }));

export const REVIEW_OUTCOMES = ["hide", "delete"] as const;

/**
 * A moderator's decision on a review item: agree (hide or delete, optionally suspending the author for
 * `suspendDays` days, or indefinitely when it is empty) or disagree (clear the flags, show the post).
 */
export const DecisionSchema = z.discriminatedUnion("decision", [
  z.object({
    decision: z.literal("agree"),
    outcome: z.enum(REVIEW_OUTCOMES, { errorMap: () => ({ message: "messages.flags.outcome" }) }).default("hide"),
    suspend: z.enum(["on", "true"]).optional().transform((v) => v !== undefined),
    suspendDays: z
      .string()
      .max(6)
      .optional()
      .transform((v) => (v && v.trim() ? Number(v) : null))
      .pipe(z.number({ invalid_type_error: "messages.common.days" }).int("messages.common.wholeDays").min(1, "messages.common.atLeastOneDay").max(3650, "messages.flags.maxDays").nullable()),
    suspendReason: typedText(bytesForChars(300), "messages.common.reason300").pipe(z.string().max(300, "messages.common.reason300")).optional().default(""),
  }),
  z.object({ decision: z.literal("disagree") }),
], { errorMap: () => ({ message: "messages.flags.decision" }) });
export type Decision = z.output<typeof DecisionSchema>;
