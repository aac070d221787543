import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import type { Actor, Role } from "./roles.ts";
import { endAllSessions } from "./sessions.server.ts";
import { canSuspend } from "./users.policy.ts";
import { SuspendSchema } from "./users.schema.ts";

/**
 * Suspends or reinstates an account. A suspension ends every session of the account at once and
 * refuses sign-in until reinstated. Events: user.suspended, user.reinstated.
 */
export async function setSuspension(actor: Actor, input: unknown): Promise<Result<{ userId: string; suspended: boolean }>> {
  const parsed = SuspendSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const { userId, suspend } = parsed.data;
  const target = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
  if (!target) return notFound("No such user");
  if (!canSuspend(actor, { id: target.id, role: target.role as Role })) return forbidden("You cannot suspend this account");
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { status: suspend ? "suspended" : "active" } });
    if (suspend) await endAllSessions(tx, userId);
    await recordEvent(tx, { type: suspend ? "user.suspended" : "user.reinstated", actorId: actor.id, subjectType: "user", subjectId: userId });
  });
  return ok({ userId, suspended: suspend });
}
