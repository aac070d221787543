import { z } from "zod";
import { plainText } from "~/modules/content/plain-text.schema.ts";

export const CategorySchema = z.object({
  name: plainText({ required: "Name the category" }).pipe(z.string().min(2, "Use at least 2 characters").max(60, "Use at most 60 characters")),
  slug: z
    .string({ required_error: "Give the category a URL name" })
    .trim()
    .toLowerCase()
    .min(2, "Use at least 2 characters")
    .max(60, "Use at most 60 characters")
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes"),
  description: plainText({ multiline: true }).pipe(z.string().max(500, "Use at most 500 characters")).default(""),
});

export const MoveSchema = z.object({ direction: z.enum(["up", "down"]) });
export const ArchiveSchema = z.object({ archived: z.enum(["true", "false"]).transform((v) => v === "true") });
