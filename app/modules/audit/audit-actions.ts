/**
 * The catalogue of audited actions (issue 19, ADR 044): every action of a moderator, staff member or
 * admin writes one audit row, named here, in the same transaction as the action. A name is
 * `<target>.<what happened>`; `/admin/audit` filters by it. Add a name here before using it.
 */
export const AUDIT_ACTIONS = {
  // posts and flags
  "post.hidden": "post",
  "post.shown": "post",
  "post.deleted": "post",
  "post.restored": "post",
  "post.edited_by_other": "post",
  "post.approved": "post",
  "flags.agreed": "post",
  "flags.disagreed": "post",
  // thread states
  "thread.closed": "thread",
  "thread.reopened": "thread",
  "thread.marked_duplicate": "thread",
  "thread.merged": "thread",
  "thread.locked": "thread",
  "thread.unlocked": "thread",
  "thread.pinned": "thread",
  "thread.unpinned": "thread",
  "thread.moved": "thread",
  "thread.unlisted": "thread",
  "thread.listed": "thread",
  // people
  "user.suspended": "user",
  "user.reinstated": "user",
  "user.silenced": "user",
  "user.unsilenced": "user",
  "user.role_changed": "user",
  "reputation.bonus_granted": "user",
  "user.api_key_created": "user",
  "user.api_key_revoked": "user",
  // site
  "category.created": "category",
  "category.updated": "category",
  "kb.article_published": "article",
  "kb.article_unpublished": "article",
  "settings.updated": "site",
  // support tickets (issue 20)
  "ticket.assigned": "ticket",
  "ticket.status_changed": "ticket",
  "ticket.priority_changed": "ticket",
  "ticket.solved": "ticket",
  "ticket.reply_published": "ticket",
  "category.routing_changed": "category",
  // further existing staff actions found while wiring the log (ADR 050)
  "thread.acceptance_changed_by_other": "thread",
  "kb.owner_assigned": "article",
  "user.profile_edited_by_admin": "user",
  // webhooks (issue 22, ADR 064); webhook.disabled has no actor when a day of failures disabled it
  "webhook.created": "webhook",
  "webhook.deleted": "webhook",
  "webhook.enabled": "webhook",
  "webhook.disabled": "webhook",
  "webhook.redelivered": "webhook",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export type AuditTarget<A extends AuditAction> = (typeof AUDIT_ACTIONS)[A];

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}
