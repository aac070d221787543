import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { invalid, ok, type Result } from "~/utils/http.server.ts";
import { hashPassword, isCommonPassword, verifyPassword } from "./password.server.ts";
import type { CurrentUser } from "./sessions.server.ts";
import { endAllSessions } from "./sessions.server.ts";
import { COMMON_PASSWORD_MESSAGE } from "./sign-up.server.ts";
import { ChangePasswordSchema } from "./users.schema.ts";

/**
 * Changes the actor's password after checking the current one. Every other session of the account
 * ends; this one stays signed in. Event: user.password_changed.
 */
export async function changePassword(actor: CurrentUser, input: unknown): Promise<Result<{ endedSessions: number }>> {
  const parsed = ChangePasswordSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const current = await prisma.password.findUnique({ where: { userId: actor.id }, select: { hash: true } });
  if (!current || !(await verifyPassword(current.hash, parsed.data.currentPassword))) {
    return invalid({ currentPassword: ["That is not your current password"] });
  }
  if (isCommonPassword(parsed.data.newPassword)) return invalid({ newPassword: [COMMON_PASSWORD_MESSAGE] });
  const hash = await hashPassword(parsed.data.newPassword);
  const endedSessions = await prisma.$transaction(async (tx) => {
    await tx.password.update({ where: { userId: actor.id }, data: { hash } });
    const ended = await endAllSessions(tx, actor.id, actor.sessionId);
    await recordEvent(tx, { type: "user.password_changed", actorId: actor.id, subjectType: "user", subjectId: actor.id, payload: { endedSessions: ended } });
    return ended;
  });
  return ok({ endedSessions });
}
