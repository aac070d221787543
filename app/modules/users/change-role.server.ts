import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { ROLES, type Actor, type Role } from "./roles.ts";
import { endAllSessions } from "./sessions.server.ts";
import { canChangeRole } from "./users.policy.ts";
import { RoleChangeSchema } from "./users.schema.ts";

/**
 * Gives a user another role. Only an admin may, and not for themselves. The user row is locked
 * while it changes; a demotion ends the user's sessions at once, so lost powers are lost now.
 * Event: user.role_changed (from, to). Audit: user.role_changed (not when the role stays).
 */
export async function changeRole(actor: Actor, input: unknown): Promise<Result<{ userId: string; role: Role }>> {
  const parsed = RoleChangeSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const { userId, role } = parsed.data;
  if (!canChangeRole(actor, { id: userId })) {
    return actor.id === userId ? forbidden("messages.users.ownRole") : forbidden("messages.users.roleForbidden");
  }
  return prisma.$transaction(async (tx): Promise<Result<{ userId: string; role: Role }>> => {
    const rows = await tx.$queryRaw<{ id: string; role: Role }[]>`SELECT id, role::text AS role FROM users WHERE id = ${userId} FOR NO KEY UPDATE`;
    const target = rows[0];
    if (!target) return notFound("messages.common.noSuchUser");
    if (target.role === role) return ok({ userId, role });
    await tx.user.update({ where: { id: userId }, data: { role } });
    if (ROLES.indexOf(role) < ROLES.indexOf(target.role)) await endAllSessions(tx, userId);
    await recordEvent(tx, { type: "user.role_changed", actorId: actor.id, subjectType: "user", subjectId: userId, payload: { from: target.role, to: role } });
    await recordAudit(tx, { actor, action: "user.role_changed", targetType: "user", targetId: userId, before: { role: target.role }, after: { role } });
    return ok({ userId, role });
  });
}
