import { z } from "zod";
import { msg } from "~/utils/messages.ts";

/** Two hours: longer than anyone reads one page; a tab left open overnight is not "time on page". */
export const MAX_VISIBLE_SECONDS = 7200;

/**
 * The time-on-page beacon (issue 20, ADR 072): which page view (the random id its view POST returned)
 * and how many seconds the page was visible. Whole seconds, 0..MAX_VISIBLE_SECONDS; anything else is 400.
 */
export const TimeOnPageInput = z.object({
  kind: z.enum(["thread", "article"], { message: "messages.support.viewKind" }),
  id: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, "messages.common.badId")
    .transform((v) => BigInt(v)),
  viewId: z.string().uuid("Not a page view id"),
  seconds: z
    .string()
    .regex(/^\d{1,5}$/, "messages.support.wholeSeconds")
    .transform(Number)
    .pipe(z.number().max(MAX_VISIBLE_SECONDS, msg("messages.support.maxSeconds", { max: MAX_VISIBLE_SECONDS }))),
});
export type TimeOnPageInput = z.input<typeof TimeOnPageInput>;
