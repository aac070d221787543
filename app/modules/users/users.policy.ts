import type { Actor, Role } from "./roles.ts";

/**
 * Who may do what with accounts. Every function denies unless a rule allows; the UI shows
 * controls from these, and each use case calls the same function again before changing anything.
 */
export function isActive(actor: Actor | null | undefined): actor is Actor {
  return !!actor && actor.status === "active";
}

export function canAdministerUsers(actor: Actor | null | undefined): boolean {
  return isActive(actor) && actor.role === "admin";
}

/** Only an admin changes roles, and never their own (so the last admin cannot lock everyone out by mistake). */
export function canChangeRole(actor: Actor | null | undefined, target: { id: string }): boolean {
  return canAdministerUsers(actor) && actor!.id !== target.id;
}

/** Moderators, staff and admins suspend members; only an admin suspends another moderator, staff or admin. */
export function canSuspend(actor: Actor | null | undefined, target: { id: string; role: Role }): boolean {
  if (!isActive(actor) || actor.id === target.id) return false;
  if (actor.role === "admin") return true;
  if (actor.role === "moderator" || actor.role === "staff") return target.role === "member";
  return false;
}

export function canEditProfile(actor: Actor | null | undefined, target: { id: string }): boolean {
  return isActive(actor) && (actor.id === target.id || actor.role === "admin");
}

/** Staff-side pages (dashboard, queues) are for staff and admins. */
export function isStaff(actor: Actor | null | undefined): boolean {
  return isActive(actor) && (actor.role === "staff" || actor.role === "admin");
}

export function isModerator(actor: Actor | null | undefined): boolean {
  return isActive(actor) && (actor.role === "moderator" || actor.role === "staff" || actor.role === "admin");
}
