import { z } from "zod";
import { bytesForChars } from "~/modules/content/text-limits.ts";
import { typedText } from "~/modules/content/plain-text.schema.ts";

/** Form contracts of the thread-state actions (issue 19, ADR 048), shared by browser and server. */

export const CLOSE_REASONS = ["duplicate", "off_topic", "too_broad", "resolved_elsewhere"] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** A moderator's note for the audit log: optional, at most 300 characters. */
export const Note = typedText(bytesForChars(300), "messages.threadStates.note").pipe(z.string().max(300, "messages.threadStates.note")).optional().default("");

/**
 * Another thread, named by its id or by its address (`/questions/42/slug`, a full URL, or `#post-…` after
 * it): the number after `/questions/`, or the whole value when it is only digits.
 */
export const ThreadRef = z
  .string({ required_error: "messages.threadStates.refRequired" })
  .trim()
  .max(2000, "messages.threadStates.refTooLong")
  .transform((value, ctx) => {
    const match = /^(\d{1,18})$/.exec(value) ?? /\/questions\/(\d{1,18})(?:[/?#]|$)/.exec(value);
    if (!match || /^0+$/.test(match[1]!)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "messages.threadStates.ref" });
      return z.NEVER;
    }
    return BigInt(match[1]!);
  });

export const CloseSchema = z
  .object({
    reason: z.enum(CLOSE_REASONS, { errorMap: () => ({ message: "messages.threadStates.closeReason" }) }),
    duplicateOf: z.string().optional(),
    note: Note,
  })
  .transform((value, ctx) => {
    if (value.reason !== "duplicate") return { reason: value.reason, duplicateOf: null, note: value.note };
    const ref = ThreadRef.safeParse(value.duplicateOf ?? "");
    if (!ref.success) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["duplicateOf"], message: "messages.threadStates.duplicateRef" });
      return z.NEVER;
    }
    return { reason: value.reason, duplicateOf: ref.data, note: value.note };
  });

export const NoteSchema = z.object({ note: Note });

export const MergeSchema = z.object({ target: ThreadRef, note: Note });

export const PIN_SCOPES = ["category", "global"] as const;

/** Pin in the thread's category or everywhere, until an optional end (a date or a date and time, in the future). */
export const PinSchema = z.object({
  scope: z.enum(PIN_SCOPES, { errorMap: () => ({ message: "messages.threadStates.pinScope" }) }).default("category"),
  until: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "messages.threadStates.pinUntil" });
        return z.NEVER;
      }
      // A bare date ends at the end of that day (UTC).
      const date = new Date(value.length === 10 ? `${value}T23:59:59.999Z` : value);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "messages.threadStates.pinUntil" });
        return z.NEVER;
      }
      return date;
    }),
  note: Note,
});

export const MoveSchema = z.object({
  categoryId: z.coerce.number({ invalid_type_error: "messages.common.chooseACategory" }).int("messages.common.chooseACategory").positive("messages.common.chooseACategory").max(2_147_483_647, "messages.common.chooseACategory"),
  note: Note,
});
