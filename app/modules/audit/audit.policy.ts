import type { Actor } from "~/modules/users/roles.ts";
import { canAdministerUsers } from "~/modules/users/users.policy.ts";

/**
 * Who reads the audit log (issue 19, ADR 050): moderators, staff and admins, as the journey has a
 * moderator find their own decisions there. Denies unless the actor is active and one of those roles.
 */
export function canReadAuditLog(actor: Actor | null | undefined): boolean {
  return !!actor && actor.status === "active" && (actor.role === "moderator" || actor.role === "staff" || actor.role === "admin");
}

/** The client addresses in it are personal data: admins only (others see the rows without them). */
export function canSeeAuditAddresses(actor: Actor | null | undefined): boolean {
  return canAdministerUsers(actor);
}
