import { z } from "zod";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { bytesForChars } from "~/modules/content/text-limits.ts";

export const API_SCOPES = ["read", "write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The form on /account (personal keys) and /admin/api-keys (site keys acting as a chosen member). */
export const CreateApiKeySchema = z.object({
  name: typedText(bytesForChars(80), "Keep the name under 80 characters", { required: "Name the key" }).pipe(
    z.string().min(1, "Name the key").max(80, "Keep the name under 80 characters"),
  ),
  scope: z.enum(API_SCOPES, { errorMap: () => ({ message: "Choose read or read and write" }) }),
  /** Days until it stops working; empty for no expiry. */
  expiresInDays: z
    .union([z.literal(""), z.coerce.number({ invalid_type_error: "Give a number of days" }).int("Give a whole number of days").min(1, "At least 1 day").max(3650, "At most 3650 days")])
    .optional()
    .transform((v) => (v === "" || v === undefined ? null : v)),
  /** Site keys only: the handle of the member the key acts as. */
  actAs: z
    .string()
    .max(40, "No member has that handle")
    .optional()
    .transform((v) => (v ? v.trim().toLowerCase() : undefined)),
});

export const RevokeApiKeySchema = z.object({ keyId: z.string().regex(/^c[a-z0-9]{20,40}$/, "No such key") });
