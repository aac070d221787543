import { prisma, type Tx } from "~/utils/db.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { knowledgeBaseHandlers } from "~/modules/kb/kb-handlers.server.ts";
import { metricsHandlers } from "~/modules/metrics/metrics-handlers.server.ts";
import { reputationHandlers } from "~/modules/reputation/reputation-handlers.server.ts";
import { searchHandlers } from "~/modules/search/search-handlers.server.ts";
import type { EventType } from "./event-types.ts";

export type StoredEvent = {
  id: bigint;
  type: EventType;
  actorId: string | null;
  subjectType: string;
  subjectId: string;
  payload: unknown;
  occurredAt: Date;
};

/** A reaction to an event, run after commit by the job queue inside its own transaction. */
export type EventHandler = { name: string; handle: (tx: Tx, event: StoredEvent) => Promise<void> };

/** A handler and the event types it listens to; each capability exports a list of these. */
export type EventSubscription = EventHandler & { types: readonly EventType[] };

/**
 * Who reacts to what: each capability (reputation and badges, search indexing, knowledge base,
 * metrics) keeps its subscriptions in its own module; this is where they are put together.
 */
function byType(subscriptions: readonly EventSubscription[]): Partial<Record<EventType, EventHandler[]>> {
  const table: Partial<Record<EventType, EventHandler[]>> = {};
  for (const { types, ...handler } of subscriptions) {
    for (const type of types) (table[type] ??= []).push(handler);
  }
  return table;
}

const HANDLERS = byType([...reputationHandlers, ...searchHandlers, ...knowledgeBaseHandlers, ...metricsHandlers]);

export function hasHandlers(type: EventType): boolean {
  return (HANDLERS[type]?.length ?? 0) > 0;
}

/**
 * Runs every handler of one event. Each handler records (handler, event) in event_handlings in the
 * same transaction as its effect, so running this twice for the same event changes nothing.
 */
export async function handleEvent(eventId: bigint, handlers = HANDLERS): Promise<void> {
  const event = (await prisma.domainEvent.findUnique({ where: { id: eventId } })) as StoredEvent | null;
  if (!event) {
    logger.warn({ eventId: eventId.toString() }, "event to handle no longer exists");
    return;
  }
  for (const handler of handlers[event.type] ?? []) {
    await prisma.$transaction(async (tx) => {
      const claimed = await tx.$executeRaw`
        INSERT INTO event_handlings (handler, event_id) VALUES (${handler.name}, ${event.id})
        ON CONFLICT DO NOTHING`;
      if (claimed === 0) return; // already handled
      await handler.handle(tx, event);
    });
  }
}
