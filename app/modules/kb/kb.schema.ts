import { z } from "zod";
import { boundedString, boundedStrings, bytesForChars } from "~/modules/content/text-limits.ts";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { PostBody, Reason, TitledFields } from "~/modules/questions/questions.schema.ts";
import { msg } from "~/utils/messages.ts";

/** Form contracts of the knowledge base, shared by browser and server. */
export const ARTICLE_STATUSES = ["draft", "published", "archived"] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** Shortest article body, in characters of visible text. */
export const ARTICLE_MIN_CHARS = 30;
export const FEEDBACK_COMMENT_MAX = 500;
/** Articles whose review-by date is left empty get one this many days ahead. */
export const DEFAULT_REVIEW_DAYS = 180;
/** "Low helpfulness" for the review list: at least this many answers and under this share of "yes". */
export const LOW_HELPFULNESS = { minAnswers: 3, maxYesShare: 0.5 };
export const REPORT_PERIODS = [7, 30, 90] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

const ReviewBy = boundedString(64, "messages.kb.reviewDate")
  .pipe(z.string().trim())
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "messages.kb.reviewDate")
      .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "messages.kb.realDate")
      .optional(),
  );

export const ArticleSchema = z.object({
  ...TitledFields,
  ...PostBody("messages.kb.tooLong", 120_000),
  reviewBy: ReviewBy,
  reason: Reason,
});

export const OwnerSchema = z.object({
  ownerId: boundedString(256, "messages.kb.owner", { required_error: "messages.kb.owner" }).pipe(
    z.string().trim().min(1, "messages.kb.owner").max(64).regex(/^[A-Za-z0-9_-]+$/, "messages.kb.ownerChoice"),
  ),
});

export const FeedbackSchema = z.object({
  helpful: z.enum(["yes", "no"], { errorMap: () => ({ message: "messages.kb.helpful" }) }).transform((v) => v === "yes"),
  comment: typedText(bytesForChars(FEEDBACK_COMMENT_MAX), msg("messages.kb.commentTooLong", { count: FEEDBACK_COMMENT_MAX }), { multiline: true })
    .pipe(z.string().max(FEEDBACK_COMMENT_MAX, msg("messages.kb.commentTooLong", { count: FEEDBACK_COMMENT_MAX })))
    .default(""),
});

/** One thread or a cluster of them; `confirm` acknowledges that some are not resolved. */
export const PromoteSchema = z.object({
  threadIds: boundedStrings(50 * 20, "messages.kb.promoteMax")
    .transform((v) => (Array.isArray(v) ? v : v.split(/[,\s]+/)).map((s) => s.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^[1-9]\d{0,17}$/, "messages.kb.threadId"))
        .min(1, "messages.kb.promoteMin")
        .max(50, "messages.kb.promoteMax")
        .transform((ids) => [...new Set(ids)].map((id) => BigInt(id))),
    ),
  confirmUnresolved: z
    .union([z.literal("yes"), z.literal("true"), z.literal("on"), z.boolean()])
    .optional()
    .transform((v) => v === true || v === "yes" || v === "true" || v === "on"),
});

export const PeriodParam = z.coerce
  .number()
  .int()
  .refine((v): v is ReportPeriod => (REPORT_PERIODS as readonly number[]).includes(v))
  .catch(90);

/** An article's public address. */
export function articlePath(a: { categorySlug: string; slug: string }): string {
  return `/kb/${a.categorySlug}/${a.slug}`;
}
