import type { Actor } from "~/modules/users/roles.ts";

/** Who may do what with API keys (issue 22). Every function denies unless a rule allows. */
const active = (a: Actor | null | undefined): a is Actor => !!a && a.status === "active";

/** Any active member makes personal keys acting as themselves. */
export function canUseApiKeys(actor: Actor | null | undefined): boolean {
  return active(actor);
}

/** Admins make site keys acting as a chosen member (an integration's bot account). */
export function canCreateSiteKey(actor: Actor | null | undefined): boolean {
  return active(actor) && actor.role === "admin";
}

/** A key with the read scope only reads; writing needs the write scope. */
export function scopeAllows(scope: "read" | "write", needs: "read" | "write"): boolean {
  return needs === "read" || scope === "write";
}
