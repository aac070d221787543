import type { Actor } from "~/modules/users/roles.ts";
import { isStaff } from "~/modules/users/users.policy.ts";

/**
 * Who may do what with support tickets (issue 20). Deny by default; a suspended or missing actor can
 * do nothing. Loaders use these for `can` flags; the use cases call them again before changing anything.
 */

/** The queue, internal notes, assigning, status, priority, outcomes, publishing: staff and admins. */
export function canWorkTickets(actor: Actor | null | undefined): boolean {
  return isStaff(actor);
}

/** A ticket is seen by its customer and by staff/admins; anyone else is told it does not exist. */
export function canSeeTicket(actor: Actor | null | undefined, ticket: { customerId: string }): boolean {
  if (!actor || actor.status !== "active") return false;
  return actor.id === ticket.customerId || canWorkTickets(actor);
}

/** The customer replies to their own ticket until it is closed. */
export function canReplyAsCustomer(actor: Actor | null | undefined, ticket: { customerId: string; status: string }): boolean {
  return !!actor && actor.status === "active" && actor.id === ticket.customerId && ticket.status !== "closed";
}

/** Anyone signed in and active may ask for help. */
export function canAskForHelp(actor: Actor | null | undefined): boolean {
  return !!actor && actor.status === "active";
}
