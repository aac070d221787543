import type { Actor } from "~/modules/users/roles.ts";

/** Moderators, staff and admins award (or take) bonus points, never to themselves. */
export function canAwardBonus(actor: Actor | null | undefined, target: { id: string }): boolean {
  return !!actor && actor.status === "active" && actor.id !== target.id && (actor.role === "moderator" || actor.role === "staff" || actor.role === "admin");
}
