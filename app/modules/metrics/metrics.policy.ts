import type { Actor } from "~/modules/users/roles.ts";
import { isStaff } from "~/modules/users/users.policy.ts";

/** The support dashboard and its exports: active staff and admins only (deny by default). */
export function canSeeDashboard(actor: Actor | null | undefined): boolean {
  return isStaff(actor);
}
