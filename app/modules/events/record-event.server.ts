import { Prisma } from "~/generated/prisma/client.ts";
import type { Tx } from "~/utils/db.server.ts";
import { addJob } from "~/utils/jobs.server.ts";
import type { EventType } from "./event-types.ts";
import { hasHandlers } from "./handlers.server.ts";

export type NewEvent = {
  type: EventType;
  actorId: string | null;
  subjectType: string;
  subjectId: string;
  payload?: Prisma.InputJsonValue;
};

/**
 * Writes an event row in the caller's transaction and, when anything listens to it, enqueues its
 * handling in the same transaction: the change, its event and its after-commit work commit together.
 * Both happen in one statement (every write records at least one event, and a round trip costs more
 * than either insert).
 */
export async function recordEvent(tx: Tx, event: NewEvent): Promise<bigint> {
  const payload = JSON.stringify(event.payload ?? {});
  const insert = Prisma.sql`
    INSERT INTO domain_events (type, actor_id, subject_type, subject_id, payload)
    VALUES (${event.type}, ${event.actorId}, ${event.subjectType}, ${event.subjectId}, ${payload}::jsonb)
    RETURNING id`;
  const [row] = hasHandlers(event.type)
    ? await tx.$queryRaw<{ id: bigint }[]>`
        WITH e AS (${insert})
        SELECT e.id FROM e, LATERAL ${addJob("handle-event", Prisma.sql`json_build_object('eventId', e.id::text)`)} AS job`
    : await tx.$queryRaw<{ id: bigint }[]>`${insert}`;
  return row!.id;
}
