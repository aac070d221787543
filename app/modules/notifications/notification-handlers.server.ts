import type { EventType } from "~/modules/events/event-types.ts";
import type { EventSubscription } from "~/modules/events/handlers.server.ts";
import type { Tx } from "~/utils/db.server.ts";
import {
  onAcceptanceChanged,
  onAnswerPosted,
  onBadgeGranted,
  onCommentAdded,
  onPostEdited,
  onQuestionAsked,
  onReputationChanged,
  onVisibilityChanged,
  type NotifiableEvent,
} from "./fan-out.server.ts";

type Body = (tx: Tx, event: NotifiableEvent) => Promise<unknown>;

/**
 * Every event the notifications react to, and what they do with it (ADR 041): the one place to read
 * "who hears about what". The bodies (fan-out.server.ts) take (tx, event) and do not depend on how
 * they are registered. Events that move reputation run both the content notice (an acceptance) and
 * the privilege check.
 */
export const NOTIFICATION_REACTIONS: Partial<Record<EventType, Body[]>> = {
  "question.asked": [onQuestionAsked],
  "answer.posted": [onAnswerPosted],
  "comment.added": [onCommentAdded],
  "post.edited": [onPostEdited],
  "answer.accepted": [onAcceptanceChanged, onReputationChanged],
  "answer.unaccepted": [onAcceptanceChanged, onReputationChanged],
  "vote.cast": [onReputationChanged],
  "vote.withdrawn": [onReputationChanged],
  "reputation.bonus_awarded": [onReputationChanged],
  "badge.granted": [onBadgeGranted],
  "post.hidden": [onVisibilityChanged],
  "post.deleted": [onVisibilityChanged],
  "post.unhidden": [onVisibilityChanged],
  "thread.hidden": [onVisibilityChanged],
  "thread.deleted": [onVisibilityChanged],
};

/** Runs the reactions of one event in the handler's transaction. */
export async function notify(tx: Tx, event: NotifiableEvent): Promise<void> {
  for (const body of NOTIFICATION_REACTIONS[event.type as EventType] ?? []) await body(tx, event);
}

/**
 * The subscription, registered after the reputation handlers (the privilege check reads the
 * ledger entries of the same event). The name is an idempotency key: never rename it.
 */
export const notificationHandlers: EventSubscription[] = [
  { name: "notifications.fan-out", types: Object.keys(NOTIFICATION_REACTIONS) as EventType[], handle: notify },
];
