import type { Actor } from "~/modules/users/roles.ts";

/**
 * Notifications, settings and watches belong to their member alone: any active member manages
 * their own, nobody (staff included) reads or changes another's. Use cases scope every statement to
 * the actor, so another member's id is "not found". Deny by default.
 */
export function canUseNotifications(actor: Actor | null | undefined): actor is Actor {
  // A silenced member (read-only, issue 19) still reads and manages their own notifications: nothing public.
  return !!actor && (actor.status === "active" || actor.status === "silenced");
}
