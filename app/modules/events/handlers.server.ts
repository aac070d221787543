import { prisma, type Tx } from "~/utils/db.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { knowledgeBaseHandlers } from "~/modules/kb/kb-handlers.server.ts";
import { metricsHandlers } from "~/modules/metrics/metrics-handlers.server.ts";
import { notificationHandlers } from "~/modules/notifications/notification-handlers.server.ts";
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

/** A reaction to an event, run after commit by the job queue inside the event's handler transaction. */
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

// Notifications last: their privilege check reads the ledger entries the reputation handler wrote for the same event.
const HANDLERS = byType([...reputationHandlers, ...searchHandlers, ...knowledgeBaseHandlers, ...metricsHandlers, ...notificationHandlers]);

export function hasHandlers(type: EventType): boolean {
  return (HANDLERS[type]?.length ?? 0) > 0;
}

/**
 * Runs every handler of one event. Each handler records (handler, event) in event_handlings in the
 * same transaction as its effect, so running this twice for the same event changes nothing.
 *
 * All the handlers of an event run in one transaction: on this kind of machine each statement is a
 * round trip that costs more than most handlers' own work, and a handler transaction is four of
 * them (BEGIN, settings, claim, COMMIT). Every handler reconciles with the current state, so
 * running them together changes no result. When that transaction fails, each handler is run again
 * in a transaction of its own, so one failing handler never holds back the others: the ones that
 * succeed are claimed, and the job is retried (by the queue) only for the one that failed.
 *
 * Handler transactions commit without waiting for the WAL flush (synchronous_commit off): nobody
 * was promised their result, and durability still holds. A crash can only lose a handler commit
 * that is not yet flushed, together with its event_handlings claim, and then the job is not marked
 * done either (graphile-worker completes it afterwards in a normal, flushed commit, which flushes
 * everything written before it), so the job runs again and redoes the work. Writes users wait for
 * keep synchronous commits.
 */
export async function handleEvent(eventId: bigint, handlers = HANDLERS): Promise<void> {
  const [event] = await prisma.$queryRaw<StoredEvent[]>`
    SELECT id, type, actor_id AS "actorId", subject_type AS "subjectType", subject_id AS "subjectId", payload, occurred_at AS "occurredAt"
    FROM domain_events WHERE id = ${eventId}`;
  if (!event) {
    logger.warn({ eventId: eventId.toString() }, "event to handle no longer exists");
    return;
  }
  const list = handlers[event.type] ?? [];
  if (list.length === 0) return;
  try {
    await runHandlers(event, list);
  } catch (error) {
    if (list.length === 1) throw error;
    logger.warn({ err: error, eventId: event.id.toString(), type: event.type }, "an event's handlers failed together; running each on its own");
    let failure: unknown;
    for (const handler of list) {
      try {
        await runHandlers(event, [handler]);
      } catch (each) {
        failure ??= each;
      }
    }
    if (failure !== undefined) throw failure;
  }
}

/** One transaction: claims the handlers not yet run for this event, then runs those. */
async function runHandlers(event: StoredEvent, list: readonly EventHandler[]): Promise<void> {
  await prisma.$transaction(
    async (tx) => {
      // SET LOCAL synchronous_commit = off, in the claim's statement (one round trip fewer).
      const claimed = await tx.$queryRaw<{ handler: string }[]>`
        WITH settings AS (SELECT set_config('synchronous_commit', 'off', true))
        INSERT INTO event_handlings (handler, event_id) SELECT unnest(${list.map((h) => h.name)}::text[]), ${event.id} FROM settings
        ON CONFLICT DO NOTHING RETURNING handler`;
      const mine = new Set(claimed.map((row) => row.handler));
      for (const handler of list) if (mine.has(handler.name)) await handler.handle(tx, event);
    },
    { timeout: 15_000 },
  );
}
