import { z } from "zod";
import { atLeastCharacters, hasLength } from "~/modules/content/text-length.ts";
import { boundedString, bytesForChars } from "~/modules/content/text-limits.ts";
import { typedText } from "~/modules/content/plain-text.schema.ts";

export const CategorySchema = z.object({
  name: typedText(bytesForChars(60), "Use at most 60 characters", { required: "Name the category" }).pipe(
    z.string().max(60, "Use at most 60 characters").refine(hasLength(2), `Use ${atLeastCharacters(2)}`),
  ),
  slug: boundedString(bytesForChars(60), "Use at most 60 characters", { required_error: "Give the category a URL name" }).pipe(
    z
      .string()
      .trim()
      .toLowerCase()
      .min(2, "Use at least 2 characters")
      .max(60, "Use at most 60 characters")
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes"),
  ),
  description: typedText(bytesForChars(500), "Use at most 500 characters", { multiline: true }).pipe(z.string().max(500, "Use at most 500 characters")).default(""),
});

export const MoveSchema = z.object({ direction: z.enum(["up", "down"]) });
export const ArchiveSchema = z.object({ archived: z.enum(["true", "false"]).transform((v) => v === "true") });
