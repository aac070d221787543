import { z } from "zod";
import { Prisma } from "~/generated/prisma/client.ts";
import type { Tx } from "~/utils/db.server.ts";
import { addJob } from "~/utils/jobs.server.ts";
import { EVENTS, isEventType, type EventPayloadInput, type EventSubject, type EventType } from "./event-catalogue.ts";

type Flat<T> = { [K in keyof T]: T[K] };

/** An event of type T as a producer writes it: its subject kind and payload are the catalogue's (a payload without required fields may be left out). */
type NewEventOf<T extends EventType> = Flat<
  { type: T; actorId: string | null; subjectType: EventSubject<T>; subjectId: string } & (Partial<EventPayloadInput<T>> extends EventPayloadInput<T>
    ? { payload?: EventPayloadInput<T> }
    : { payload: EventPayloadInput<T> })
>;

/** Any catalogued event (a union discriminated by `type`). */
export type NewEvent = { [T in EventType]: NewEventOf<T> }[EventType];

/** An event that does not match the catalogue: a bug in its producer, never the user's input. */
export class InvalidEventError extends Error {
  constructor(type: string, problem: string) {
    super(`domain event ${type}: ${problem}`);
    this.name = "InvalidEventError";
  }
}

/** Checks an event against the catalogue and returns its payload as it will be stored. */
export function checkEvent(event: { type: string; subjectType: string; payload?: unknown }): object {
  if (!isEventType(event.type)) throw new InvalidEventError(event.type, "not in the catalogue (app/modules/events/event-catalogue.ts)");
  const spec = EVENTS[event.type];
  if (event.subjectType !== spec.subject) throw new InvalidEventError(event.type, `subject must be a ${spec.subject}, not ${event.subjectType}`);
  const parsed = spec.payload.safeParse(event.payload ?? {}, { errorMap: z.defaultErrorMap }); // a programming error, logged in English
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ");
    throw new InvalidEventError(event.type, `payload does not match the catalogue (${problems})`);
  }
  return parsed.data as object;
}

/**
 * Writes an event row in the caller's transaction and enqueues its handling (a `handle-event` job)
 * in the same statement: the change, its event and its after-commit work commit together, and one
 * round trip does both. The event is checked against the catalogue first: an unknown type, a wrong
 * subject kind or a payload that does not match throws InvalidEventError (the caller's transaction
 * then rolls back, nothing half-written).
 *
 * Every event gets a job, whether or not anything listens to its type: which handlers exist is
 * known only where the worker starts (app/modules/jobs/event-subscriptions.server.ts), and a web
 * process must never decide that for it (ADR 038). The job carries the type, so the worker skips an
 * event nobody listens to without reading it.
 */
export async function recordEvent(tx: Tx, event: NewEvent): Promise<bigint> {
  const payload = JSON.stringify(checkEvent(event));
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
    WITH e AS (
      INSERT INTO domain_events (type, actor_id, subject_type, subject_id, payload)
      VALUES (${event.type}, ${event.actorId}, ${event.subjectType}, ${event.subjectId}, ${payload}::jsonb)
      RETURNING id, type
    )
    SELECT e.id FROM e, LATERAL ${addJob("handle-event", Prisma.sql`json_build_object('eventId', e.id::text, 'type', e.type)`)} AS job`;
  return row!.id;
}
