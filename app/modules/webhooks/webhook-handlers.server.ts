import { EVENT_TYPES } from "~/modules/events/event-catalogue.ts";
import { subscribe } from "~/modules/events/handlers.server.ts";
import { fanOutWebhooks } from "./deliver-webhook.server.ts";

/** Webhooks (issue 22, ADR 064): every catalogued event may be sent, so the fan-out listens to all of them. */
export const webhookHandlers = [
  subscribe({
    name: "webhooks.fan_out",
    summary: "one delivery row and job per enabled webhook endpoint subscribed to the type (ADR 064)",
    types: EVENT_TYPES,
    handle: async (tx, event) => {
      await fanOutWebhooks(tx, event);
    },
  }),
];
