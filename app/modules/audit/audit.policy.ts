import type { Actor } from "~/modules/users/roles.ts";
import { canAdministerUsers } from "~/modules/users/users.policy.ts";

/**
 * Who reads the audit log (issue 19, ADR 050): admins only, like every other /admin page. It holds
 * client addresses and the actions of staff and moderators themselves, so the people it watches do
 * not read it. Denies unless the actor is an active admin.
 */
export function canReadAuditLog(actor: Actor | null | undefined): boolean {
  return canAdministerUsers(actor);
}
