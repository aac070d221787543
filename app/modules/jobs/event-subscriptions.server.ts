import { subscriptionTable, type EventSubscription } from "~/modules/events/handlers.server.ts";
import { knowledgeBaseHandlers } from "~/modules/kb/kb-handlers.server.ts";
import { metricsHandlers } from "~/modules/metrics/metrics-handlers.server.ts";
import { notificationHandlers } from "~/modules/notifications/notification-handlers.server.ts";
import { reputationHandlers } from "~/modules/reputation/reputation-handlers.server.ts";
import { searchHandlers } from "~/modules/search/search-handlers.server.ts";
import { webhookHandlers } from "~/modules/webhooks/webhook-handlers.server.ts";

/**
 * Who reacts to which domain event, wired here for the worker's `handle-event` task
 * (tasks.server.ts), not in `recordEvent`: recording an event needs no knowledge of its consequences,
 * so the events module imports no capability (ADR 038). Each capability keeps its subscriptions in
 * its own module. `app/modules/events/event-catalogue.test.ts` fails when one of these listens to a
 * type that no code records; `npm run docs:events` prints the result as the "What happens when …"
 * table of docs/architecture.md. Handlers of one event run in this order: notifications last, since
 * their privilege check reads the ledger entries the reputation handler wrote for the same event;
 * webhooks (ADR 064) after them: the fan-out only enqueues, and listens to every type.
 */
export const subscriptions: readonly EventSubscription[] = [...reputationHandlers, ...searchHandlers, ...knowledgeBaseHandlers, ...metricsHandlers, ...notificationHandlers, ...webhookHandlers];

/** The handlers of each event type. */
export const eventHandlers = subscriptionTable(subscriptions);
