import type { EventSubscription } from "~/modules/events/handlers.server.ts";

/** Event handlers of the search indexing (run after commit by the job queue). */
export const searchHandlers: EventSubscription[] = [];
