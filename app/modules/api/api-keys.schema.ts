import { z } from "zod";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { bytesForChars } from "~/modules/content/text-limits.ts";

export const API_SCOPES = ["read", "write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The form on /account (personal keys) and /admin/api-keys (site keys acting as a chosen member). */
export const CreateApiKeySchema = z.object({
  name: typedText(bytesForChars(80), "messages.apiKeys.nameTooLong", { required: "messages.apiKeys.nameRequired" }).pipe(
    z.string().min(1, "messages.apiKeys.nameRequired").max(80, "messages.apiKeys.nameTooLong"),
  ),
  scope: z.enum(API_SCOPES, { errorMap: () => ({ message: "messages.apiKeys.scope" }) }),
  /** Days until it stops working; empty for no expiry. */
  expiresInDays: z
    .union([z.literal(""), z.coerce.number({ invalid_type_error: "messages.apiKeys.days" }).int("messages.apiKeys.wholeDays").min(1, "messages.common.atLeastOneDay").max(3650, "messages.apiKeys.maxDays")])
    .optional()
    .transform((v) => (v === "" || v === undefined ? null : v)),
  /** Site keys only: the handle of the member the key acts as. */
  actAs: z
    .string()
    .max(40, "messages.apiKeys.noHandle")
    .optional()
    .transform((v) => (v ? v.trim().toLowerCase() : undefined)),
});

export const RevokeApiKeySchema = z.object({ keyId: z.string().regex(/^c[a-z0-9]{20,40}$/, "messages.apiKeys.noSuchKey") });
