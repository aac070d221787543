import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import type { Actor } from "./roles.ts";
import { canEditProfile } from "./users.policy.ts";
import { ProfileSchema } from "./users.schema.ts";

/**
 * Updates a public profile (display name, bio): the owner, or an admin. Event: user.profile_updated.
 * Audit: user.profile_edited_by_admin when an admin edits someone else's (the fields named, not their text).
 */
export async function updateProfile(actor: Actor, userId: string, input: unknown): Promise<Result<{ handle: string }>> {
  const parsed = ProfileSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const target = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, handle: true } });
  if (!target) return notFound("messages.common.noSuchMember");
  if (!canEditProfile(actor, target)) return forbidden("messages.users.profileForbidden");
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: target.id }, data: parsed.data });
    await recordEvent(tx, { type: "user.profile_updated", actorId: actor.id, subjectType: "user", subjectId: target.id });
    if (actor.id !== target.id) {
      await recordAudit(tx, { actor, action: "user.profile_edited_by_admin", targetType: "user", targetId: target.id, after: { fields: Object.keys(parsed.data) } });
    }
  });
  return ok({ handle: target.handle });
}
