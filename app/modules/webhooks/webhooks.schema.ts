import { z } from "zod";
import { hasControlCharacters, typedText, withoutBidiControls } from "~/modules/content/plain-text.schema.ts";
import { bytesForChars } from "~/modules/content/text-limits.ts";
import { EVENT_TYPES, isEventType, type EventType } from "~/modules/events/event-catalogue.ts";

/** The registration form (issue 22, ADR 064); the address is checked again, resolved, on the server. */
export const RegisterWebhookSchema = z.object({
  url: z
    .string({ required_error: "Give the endpoint's URL" })
    .trim()
    .min(1, "Give the endpoint's URL")
    .max(2000, "The URL is too long (2,000 characters at most)")
    .refine((value) => URL.canParse(value), "This is not a valid URL")
    .refine((value) => !URL.canParse(value) || ["http:", "https:"].includes(new URL(value).protocol), "Only http and https addresses can receive webhooks"),
  events: z
    .array(z.string())
    .min(1, "Choose at least one event")
    .max(EVENT_TYPES.length)
    .refine((types) => types.every(isEventType), "Choose events from the list")
    .transform((types) => [...new Set(types)].sort() as EventType[]),
  secret: z
    .string()
    .trim()
    .max(200, "The secret is too long (200 characters at most)")
    // A secret is used as typed, byte for byte (receivers sign with it), so it is refused rather than cleaned.
    .refine((value) => !hasControlCharacters(value) && withoutBidiControls(value) === value, "Use visible characters only in a secret")
    .refine((value) => value === "" || value.length >= 24, "A secret of your own needs at least 24 characters (or leave it empty to have one made)")
    .optional()
    .transform((value) => (value ? value : undefined)),
  description: typedText(bytesForChars(200), "The description is too long (200 characters at most)").pipe(z.string().max(200, "The description is too long (200 characters at most)")).optional().default(""),
});

export const EndpointIdSchema = z.object({ endpointId: z.string().regex(/^\d{1,18}$/, "Unknown endpoint") });
export const DeliveryIdSchema = z.object({ deliveryId: z.string().regex(/^\d{1,18}$/, "Unknown delivery") });

/** Delivery states as stored (webhook_deliveries.status). */
export const DELIVERY_STATUSES = ["pending", "retrying", "succeeded", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
