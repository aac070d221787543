import type { EventSubscription } from "~/modules/events/handlers.server.ts";

/** Event handlers of the reputation ledger and badges (run after commit by the job queue). */
export const reputationHandlers: EventSubscription[] = [];
