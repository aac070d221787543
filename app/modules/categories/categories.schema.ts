import { z } from "zod";
import { atLeastParams, hasLength } from "~/modules/content/text-length.ts";
import { boundedString, bytesForChars } from "~/modules/content/text-limits.ts";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { msg } from "~/utils/messages.ts";

export const CategorySchema = z.object({
  name: typedText(bytesForChars(60), msg("messages.field.tooLong", { count: 60 }), { required: "messages.categories.nameRequired" }).pipe(
    z.string().max(60, msg("messages.field.tooLong", { count: 60 })).refine(hasLength(2), msg("messages.field.atLeastDense", atLeastParams(2))),
  ),
  slug: boundedString(bytesForChars(60), msg("messages.field.tooLong", { count: 60 }), { required_error: "messages.categories.slugRequired" }).pipe(
    z
      .string()
      .trim()
      .toLowerCase()
      .min(2, msg("messages.field.tooShort", { count: 2 }))
      .max(60, msg("messages.field.tooLong", { count: 60 }))
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "messages.categories.slugChars"),
  ),
  description: typedText(bytesForChars(500), msg("messages.field.tooLong", { count: 500 }), { multiline: true }).pipe(z.string().max(500, msg("messages.field.tooLong", { count: 500 }))).default(""),
});

export const MoveSchema = z.object({ direction: z.enum(["up", "down"]) });
export const ArchiveSchema = z.object({ archived: z.enum(["true", "false"]).transform((v) => v === "true") });
