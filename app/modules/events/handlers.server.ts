import { prisma, type Tx } from "~/utils/db.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { EVENTS, isEventType, type EventPayload, type EventSubject, type EventType } from "./event-catalogue.ts";

/** An event as a handler receives it: its payload parsed by the catalogue's schema (a union discriminated by `type`). */
export type StoredEvent<T extends EventType = EventType> = T extends EventType
  ? { id: bigint; type: T; actorId: string | null; subjectType: EventSubject<T>; subjectId: string; payload: EventPayload<T>; occurredAt: Date }
  : never;

/** A reaction to an event, run after commit by the job queue inside the event's handler transaction. */
export type EventHandler = { name: string; handle: (tx: Tx, event: StoredEvent) => Promise<void> };

/**
 * A handler and the event types it listens to. Each capability exports a list of these from its
 * own module; the worker wires them (app/modules/jobs/event-subscriptions.server.ts). `name` is the
 * idempotency key (event_handlings): never rename one. `summary` says what it does, for the table in
 * docs/architecture.md.
 */
export type EventSubscription<T extends EventType = EventType> = {
  name: string;
  summary: string;
  types: readonly T[];
  handle: (tx: Tx, event: StoredEvent<T>) => Promise<void>;
};

/** Declares a subscription; the handler's event is typed by the listed types (narrow it with `event.type`). */
export function subscribe<const T extends EventType>(subscription: EventSubscription<T>): EventSubscription {
  // Safe: the table built from it hands this handler only events of the listed types.
  return subscription as unknown as EventSubscription;
}

/** Who reacts to what, by event type. */
export type HandlerTable = Partial<Record<EventType, readonly EventHandler[]>>;

/** Builds the table of handlers by type; handler names must be unique (they are idempotency keys). */
export function subscriptionTable(subscriptions: readonly EventSubscription[]): HandlerTable {
  const table: Partial<Record<EventType, EventHandler[]>> = {};
  const names = new Set<string>();
  for (const { name, types, handle } of subscriptions) {
    if (names.has(name)) throw new Error(`two event subscriptions are named ${name}`);
    names.add(name);
    for (const type of types) (table[type] ??= []).push({ name, handle });
  }
  return table;
}

type Row = { id: bigint; type: string; actorId: string | null; subjectType: string; subjectId: string; payload: unknown; occurredAt: Date };

/** The stored row as handlers see it; a row that does not match the catalogue throws (its job fails and is kept). */
function parseStored(row: Row): StoredEvent {
  if (!isEventType(row.type)) throw new Error(`event ${row.id} has type ${row.type}, which is not in the catalogue`);
  if (row.subjectType !== EVENTS[row.type].subject) throw new Error(`event ${row.id} (${row.type}) has a ${row.subjectType} for subject, not a ${EVENTS[row.type].subject}`);
  const parsed = EVENTS[row.type].payload.safeParse(row.payload);
  if (!parsed.success) throw new Error(`event ${row.id} (${row.type}): payload does not match the catalogue: ${parsed.error.message}`);
  return { ...row, payload: parsed.data } as StoredEvent;
}

/**
 * Runs every handler of one event (from `handlers`, the table the worker wired). Each handler
 * records (handler, event) in event_handlings in the same transaction as its effect, so running
 * this twice for the same event changes nothing.
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
export async function handleEvent(eventId: bigint, handlers: HandlerTable): Promise<void> {
  const [row] = await prisma.$queryRaw<Row[]>`
    SELECT id, type, actor_id AS "actorId", subject_type AS "subjectType", subject_id AS "subjectId", payload, occurred_at AS "occurredAt"
    FROM domain_events WHERE id = ${eventId}`;
  if (!row) {
    logger.warn({ eventId: eventId.toString() }, "event to handle no longer exists");
    return;
  }
  const list = isEventType(row.type) ? (handlers[row.type] ?? []) : [];
  if (list.length === 0) return;
  const event = parseStored(row);
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
