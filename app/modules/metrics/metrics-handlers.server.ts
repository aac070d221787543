import type { EventSubscription } from "~/modules/events/handlers.server.ts";

/** Event handlers of the dashboard rollups (run after commit by the job queue). */
export const metricsHandlers: EventSubscription[] = [];
