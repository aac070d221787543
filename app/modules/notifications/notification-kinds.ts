/**
 * The one list of notification kinds, the setting group each belongs to, and each group's default
 * delivery (ADR 041). Client-safe: the settings page and the notification list use it too. The SQL
 * of the fan-out and of the digests reads the defaults from here (`deliveryDefaultsSql`), so there is
 * no second copy. Moderation (issue 19) adds its kinds and a "moderation" group here.
 */

export const DELIVERIES = ["in_app", "immediate", "daily", "weekly"] as const;
export type Delivery = (typeof DELIVERIES)[number];

/** What a member configures (and unsubscribes from), in the order the settings page shows them. */
export const SETTING_GROUPS = ["answers", "comments", "accepts", "mentions", "achievements", "watching", "moderation"] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number];

/** Sensible defaults (issue 18): what is addressed to me at once, watched activity as a daily digest. */
export const DEFAULT_DELIVERY: Record<SettingGroup, Delivery> = {
  answers: "immediate",
  comments: "immediate",
  accepts: "immediate",
  mentions: "immediate",
  achievements: "in_app",
  watching: "daily",
  moderation: "in_app",
};

export const NOTIFICATION_KINDS = {
  answer_on_question: "answers",
  comment_on_question: "comments",
  comment_on_answer: "comments",
  answer_accepted: "accepts",
  answer_unaccepted: "accepts",
  mention: "mentions",
  badge_earned: "achievements",
  privilege_reached: "achievements",
  watched_thread: "watching",
  watched_tag: "watching",
  watched_category: "watching",
  // Support (issue 20): a staff reply on my ticket, a question offered to me as a category expert,
  // "Did this fix it?" about my accepted answer.
  ticket_reply: "answers",
  expert_offer: "answers",
  resolution_check: "accepts",
  // Issue 19: what came of my flags, and moderators' decisions about my posts.
  flag_agreed: "moderation",
  flag_disagreed: "moderation",
  post_removed: "moderation",
  post_approved: "moderation",
  // Issue 19 (ADR 068): the asker hears what happened to their thread; an author that a moderator hid or deleted their post.
  thread_closed: "moderation",
  thread_duplicate: "moderation",
  thread_reopened: "moderation",
  thread_merged: "moderation",
  post_hidden: "moderation",
  post_deleted: "moderation",
  account_silenced: "moderation",
} as const satisfies Record<string, SettingGroup>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

export function isSettingGroup(value: unknown): value is SettingGroup {
  return typeof value === "string" && (SETTING_GROUPS as readonly string[]).includes(value);
}

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === "string" && Object.hasOwn(NOTIFICATION_KINDS, value);
}

export function groupOf(kind: string): SettingGroup | null {
  return isNotificationKind(kind) ? NOTIFICATION_KINDS[kind] : null;
}

/** Kinds whose unread notices on one thread are shown as one line ("3 new answers on …"). */
export const GROUPED_KINDS: ReadonlySet<NotificationKind> = new Set(["answer_on_question", "comment_on_question", "comment_on_answer", "watched_thread"]);
