import { z } from "zod";
import { bytesForChars } from "~/modules/content/text-limits.ts";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { FLAGS } from "~/modules/reputation/thresholds.ts";

/** Why a member flags a post (issue 19). Spam and abuse ("rude") can hide a post at once (FLAGS). */
export const FLAG_REASONS = ["spam", "rude", "off_topic", "duplicate", "other"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
/** The reasons whose flags add up toward hiding a post before review. */
export const HIDING_REASONS: ReadonlySet<FlagReason> = new Set(["spam", "rude"]);
export const FLAG_STATUSES = ["pending", "agreed", "disagreed"] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

const Detail = typedText(bytesForChars(FLAGS.detailMaxChars), `Use at most ${FLAGS.detailMaxChars} characters`, { multiline: true }).pipe(
  z.string().max(FLAGS.detailMaxChars, `Use at most ${FLAGS.detailMaxChars} characters`),
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
    reason: z.enum(FLAG_REASONS, { errorMap: () => ({ message: "Choose a reason" }) }),
    detail: Detail.optional().default(""),
  })
  .superRefine((v, ctx) => {
    if (v.reason === "duplicate" && !isThreadLink(v.detail)) {
      ctx.addIssue({ code: "custom", path: ["detail"], message: "Paste the link of the question this one duplicates (/questions/…)" });
    }
    if (v.reason === "other" && v.detail.length < 3) ctx.addIssue({ code: "custom", path: ["detail"], message: "Say what is wrong in a few words" });
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
    outcome: z.enum(REVIEW_OUTCOMES, { errorMap: () => ({ message: "Choose hide or delete" }) }).default("hide"),
    suspend: z.enum(["on", "true"]).optional().transform((v) => v !== undefined),
    suspendDays: z
      .string()
      .max(6)
      .optional()
      .transform((v) => (v && v.trim() ? Number(v) : null))
      .pipe(z.number({ invalid_type_error: "Enter a number of days" }).int("Enter whole days").min(1, "At least 1 day").max(3650, "At most 3650 days (or leave it empty: indefinitely)").nullable()),
    suspendReason: typedText(bytesForChars(300), "Keep the reason under 300 characters").pipe(z.string().max(300, "Keep the reason under 300 characters")).optional().default(""),
  }),
  z.object({ decision: z.literal("disagree") }),
], { errorMap: () => ({ message: "Choose agree or disagree" }) });
export type Decision = z.output<typeof DecisionSchema>;
