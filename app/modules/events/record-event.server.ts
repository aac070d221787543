import type { Prisma } from "~/generated/prisma/client.ts";
import type { Tx } from "~/utils/db.server.ts";
import { enqueue } from "~/utils/jobs.server.ts";
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
 */
export async function recordEvent(tx: Tx, event: NewEvent): Promise<bigint> {
  const row = await tx.domainEvent.create({
    data: {
      type: event.type,
      actorId: event.actorId,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      payload: event.payload ?? {},
    },
    select: { id: true },
  });
  if (hasHandlers(event.type)) await enqueue(tx, "handle-event", { eventId: row.id.toString() });
  return row.id;
}
