import type { TFunction } from "i18next";
import { groupOf } from "./notification-kinds.ts";

/**
 * A notice (or a group of notices of one kind on one thread) as the list page and the e-mails show
 * it: the sentence, the link to the exact post, and why the member got it. One place for the wording
 * of both (client-safe; the texts are in the "notifications" section of the locale files). Every
 * value is plain text: React escapes it on the page and in the HTML e-mail.
 */
export type NotificationView = {
  /** The notices this line stands for (one, or a group), newest first. */
  ids: string[];
  kind: string;
  count: number;
  unread: boolean;
  createdAt: string;
  actor: { handle: string; displayName: string } | null;
  thread: { id: string; slug: string; title: string } | null;
  /** The post to open: the first (oldest) new one of a group. */
  postId: string | null;
  commentId: string | null;
  data: { badge?: string; categoryId?: number | null; privilege?: string; threshold?: number; tag?: string };
};

type Translate = TFunction | ((key: string, options?: Record<string, unknown>) => string);

/** Where the notice leads: the exact post (its anchor on the thread page), the badge, or the member's profile. */
export function notificationPath(n: Pick<NotificationView, "kind" | "thread" | "postId" | "data">, ownHandle: string): string {
  if (n.thread) return `/questions/${n.thread.id}/${n.thread.slug}${n.postId ? `#post-${n.postId}` : ""}`;
  if (n.kind === "badge_earned" && n.data.badge) return `/badges/${encodeURIComponent(n.data.badge)}`;
  return `/u/${encodeURIComponent(ownHandle)}`;
}

/** The sentence: "Ann answered your question “…”", "3 new answers on “…”", "You earned the badge …". */
export function notificationText(t: Translate, n: NotificationView): string {
  const who = n.actor?.displayName ?? t("notifications.someone");
  const title = n.thread?.title ?? "";
  const options = { who, title, count: n.count, tag: n.data.tag ?? "" };
  switch (n.kind) {
    case "badge_earned":
      return t("notifications.text.badge_earned", { badge: t(`reputation.badge.${n.data.badge ?? "unknown"}.name`, { defaultValue: n.data.badge ?? "" }) });
    case "privilege_reached":
      return t("notifications.text.privilege_reached", {
        privilege: t(`reputation.privilege.${n.data.privilege ?? "unknown"}`, { defaultValue: n.data.privilege ?? "" }),
        threshold: n.data.threshold ?? 0,
      });
    default:
      if (n.count > 1) return t(`notifications.grouped.${n.kind}`, { ...options, defaultValue: t("notifications.grouped.other", options) });
      return t(`notifications.text.${n.kind}`, { ...options, defaultValue: t("notifications.text.other", options) });
  }
}

/** Why the member got it, for the e-mail footer ("You get this because you asked this question."). */
export function notificationReason(t: Translate, n: Pick<NotificationView, "kind" | "data">): string {
  return t(`notifications.reason.${n.kind}`, { tag: n.data.tag ?? "", defaultValue: t("notifications.reason.other") });
}

/** The settings group a notice belongs to (answers, comments, accepts, mentions, achievements, watching). */
export function settingGroupOf(kind: string): string {
  return groupOf(kind) ?? "watching";
}
