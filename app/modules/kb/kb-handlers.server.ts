import type { EventSubscription } from "~/modules/events/handlers.server.ts";

/** Event handlers of the knowledge base (run after commit by the job queue). */
export const knowledgeBaseHandlers: EventSubscription[] = [];
