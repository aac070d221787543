import type { Actor } from "~/modules/users/roles.ts";

/** Webhooks send the site's events to outside systems (issue 22, ADR 064): active admins only; everyone else is refused. */
export function canManageWebhooks(actor: Actor | null | undefined): boolean {
  return !!actor && actor.status === "active" && actor.role === "admin";
}
