/**
 * Every domain event type, named `<subject>.<past-tense verb>`. Later capabilities add theirs here,
 * so this list is the one catalogue of what can happen (docs/decisions/008-domain-events.md).
 */
export const EVENT_TYPES = [
  "user.signed_up",
  "user.signed_in",
  "user.signed_out_everywhere",
  "user.password_changed",
  "user.password_reset_requested",
  "user.password_reset",
  "user.role_changed",
  "user.suspended",
  "user.reinstated",
  "user.profile_updated",
  "session.revoked",
  "category.created",
  "category.updated",
  "question.asked",
  "answer.posted",
  "answer.accepted",
  "answer.unaccepted",
  "vote.cast",
  "vote.withdrawn",
  "post.edited",
  "comment.added",
  "thread.viewed",
  "post.hidden",
  "post.unhidden",
  "post.deleted",
  "thread.hidden",
  "thread.deleted",
  // Reputation and badges (capability 5)
  "reputation.bonus_awarded",
  "badge.granted",
  "badge.revoked",
  // Search (capability 4)
  "search.performed",
  "search.result_opened",
  // Knowledge base (capability 7)
  "article.created",
  "article.edited",
  "article.published",
  "article.archived",
  "article.owner_assigned",
  "article.viewed",
  "article.feedback_given",
  "thread.promoted",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
