import { subscribe, type StoredEvent } from "~/modules/events/handlers.server.ts";
import type { Tx } from "~/utils/db.server.ts";
import {
  onAcceptanceChanged,
  onAnswerPosted,
  onBadgeGranted,
  onCommentAdded,
  onOfferedToExperts,
  onResolutionCheck,
  onTicketReplied,
  onFlagsDecided,
  onPostEdited,
  onPostModerated,
  onThreadStateChanged,
  onSilenced,
  onQuestionAsked,
  onReputationChanged,
  onVisibilityChanged,
} from "./fan-out.server.ts";

/** Every event the notifications react to (ADR 041). */
const NOTIFIED = [
  "question.asked",
  "answer.posted",
  "comment.added",
  "post.edited",
  "answer.accepted",
  "answer.unaccepted",
  "vote.cast",
  "vote.withdrawn",
  "reputation.bonus_awarded",
  "badge.granted",
  "post.hidden",
  "post.deleted",
  "post.unhidden",
  "thread.hidden",
  "thread.deleted",
  "question.offered_to_experts",
  "ticket.replied",
  "resolution.check_requested",
  "flags.decided",
  "thread.closed",
  "thread.reopened",
  "thread.merged",
  "user.silenced",
] as const;

export type NotifiedEvent = StoredEvent<(typeof NOTIFIED)[number]>;

/**
 * What the notifications do with each event, in the handler's transaction: the one place to read
 * "who hears about what". The bodies (fan-out.server.ts) are one statement each. Events that move
 * reputation run both the content notice (an acceptance) and the privilege check.
 */
export async function notify(tx: Tx, event: NotifiedEvent): Promise<void> {
  switch (event.type) {
    case "question.asked":
      await onQuestionAsked(tx, event);
      return;
    case "answer.posted":
      await onAnswerPosted(tx, event);
      return;
    case "comment.added":
      await onCommentAdded(tx, event);
      return;
    case "post.edited":
      await onPostEdited(tx, event);
      return;
    case "answer.accepted":
    case "answer.unaccepted":
      await onAcceptanceChanged(tx, event);
      await onReputationChanged(tx, event);
      return;
    case "vote.cast":
    case "vote.withdrawn":
    case "reputation.bonus_awarded":
      await onReputationChanged(tx, event);
      return;
    case "badge.granted":
      await onBadgeGranted(tx, event);
      return;
    case "post.hidden":
    case "post.deleted":
      await onVisibilityChanged(tx, event);
      await onPostModerated(tx, event);
      return;
    case "post.unhidden":
    case "thread.hidden":
    case "thread.deleted":
      await onVisibilityChanged(tx, event);
      return;
    case "question.offered_to_experts":
      await onOfferedToExperts(tx, event);
      return;
    case "ticket.replied":
      await onTicketReplied(tx, event);
      return;
    case "resolution.check_requested":
      await onResolutionCheck(tx, event);
      return;
    case "flags.decided":
      await onFlagsDecided(tx, event);
      return;
    case "thread.closed":
    case "thread.reopened":
    case "thread.merged":
      await onThreadStateChanged(tx, event);
      return;
    case "user.silenced":
      await onSilenced(tx, event);
      return;
    default:
      event satisfies never;
  }
}

/**
 * The subscription, wired after the reputation handlers (app/modules/jobs/event-subscriptions.server.ts):
 * the privilege check reads the ledger entries of the same event. The name is an idempotency key:
 * never rename it.
 */
export const notificationHandlers = [
  subscribe({
    name: "notifications.fan-out",
    summary:
      "notifies the asker, the post's author, mentioned members and watchers in one statement, auto-watches, enqueues e-mails at once and signals live counts; withdraws or restores notices of hidden, deleted or shown content (ADR 041); tells askers and authors what moderators did to their threads and posts (ADR 068)",
    types: NOTIFIED,
    handle: notify,
  }),
];
