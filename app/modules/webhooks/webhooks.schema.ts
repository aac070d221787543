import { z } from "zod";
import { hasControlCharacters, typedText, withoutBidiControls } from "~/modules/content/plain-text.schema.ts";
import { bytesForChars } from "~/modules/content/text-limits.ts";
import { EVENT_TYPES, isEventType, type EventType } from "~/modules/events/event-catalogue.ts";

/** The registration form (issue 22, ADR 064); the address is checked again, resolved, on the server. */
export const RegisterWebhookSchema = z.object({
  url: z
    .string({ required_error: "messages.webhooks.urlRequired" })
    .trim()
    .min(1, "messages.webhooks.urlRequired")
    .max(2000, "messages.webhooks.urlTooLong")
    .refine((value) => URL.canParse(value), "messages.webhooks.urlInvalid")
    .refine((value) => !URL.canParse(value) || ["http:", "https:"].includes(new URL(value).protocol), "messages.webhooks.urlScheme"),
  events: z
    .array(z.string())
    .min(1, "messages.webhooks.eventsRequired")
    .max(EVENT_TYPES.length)
    .refine((types) => types.every(isEventType), "messages.webhooks.events")
    .transform((types) => [...new Set(types)].sort() as EventType[]),
  secret: z
    .string()
    .trim()
    .max(200, "messages.webhooks.secretTooLong")
    // A secret is used as typed, byte for byte (receivers sign with it), so it is refused rather than cleaned.
    .refine((value) => !hasControlCharacters(value) && withoutBidiControls(value) === value, "messages.webhooks.secretVisible")
    .refine((value) => value === "" || value.length >= 24, "messages.webhooks.secretTooShort")
    .optional()
    .transform((value) => (value ? value : undefined)),
  description: typedText(bytesForChars(200), "messages.webhooks.descriptionTooLong").pipe(z.string().max(200, "messages.webhooks.descriptionTooLong")).optional().default(""),
});

export const EndpointIdSchema = z.object({ endpointId: z.string().regex(/^\d{1,18}$/, "messages.webhooks.unknownEndpoint") });
export const DeliveryIdSchema = z.object({ deliveryId: z.string().regex(/^\d{1,18}$/, "messages.webhooks.unknownDelivery") });

/** Delivery states as stored (webhook_deliveries.status). */
export const DELIVERY_STATUSES = ["pending", "retrying", "succeeded", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
