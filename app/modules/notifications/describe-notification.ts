import type { TFunction } from "i18next";
import { groupOf } from "./notification-kinds.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";

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
  data: {
    badge?: string; categoryId?: number | null; privilege?: string; threshold?: number; tag?: string; ticketId?: string;
    /** Moderation (ADR 068): why a thread was closed, what kind of post was removed and the moderator's note. */
    reason?: string; postKind?: string; note?: string; until?: string | null;
  };
};

type Translate = TFunction | ((key: string, options?: Record<string, unknown>) => string);

/** Where the notice leads: the exact post (its anchor on the thread page), the badge, or the member's profile. */
export function notificationPath(n: Pick<NotificationView, "kind" | "thread" | "postId" | "data">, ownHandle: string): string {
  if (n.kind === "ticket_reply" && n.data.ticketId && /^\d+$/.test(n.data.ticketId)) return `/support/tickets/${n.data.ticketId}`;
  if (n.kind === "resolution_check" && n.thread) return `/questions/${n.thread.id}/${n.thread.slug}#did-it-fix`;
  if (n.kind === "flag_agreed" || n.kind === "flag_disagreed") return "/account/flags";
  if (n.thread) return n.postId ? postPath(`/questions/${n.thread.id}/${n.thread.slug}`, n.postId) : `/questions/${n.thread.id}/${n.thread.slug}`;
  if (n.kind === "badge_earned" && n.data.badge) return `/badges/${encodeURIComponent(n.data.badge)}`;
  return `/u/${encodeURIComponent(ownHandle)}`;
}

const MARK = "\u0001";
const MARKED = new RegExp(`${MARK}(\\w+)${MARK}`, "g");
const templates = new WeakMap<Translate, Map<string, string>>();

/**
 * t(key, vars) through a cache of templates: i18next resolves each (key, count) once with markers
 * in place of the values, which are then put in by a plain replace. A list of 50 notices (a page, a
 * digest) costs 50 replaces instead of 50 full i18next calls (about 0.1 ms each).
 */
export function translate(t: Translate, key: string, vars: Record<string, string> = {}, count?: number): string {
  let cache = templates.get(t);
  if (!cache) templates.set(t, (cache = new Map()));
  const cacheKey = `${key}|${count ?? ""}`;
  let template = cache.get(cacheKey);
  if (template === undefined) {
    const marked = Object.fromEntries(Object.keys(vars).map((name) => [name, `${MARK}${name}${MARK}`]));
    template = String(t(key, { ...marked, ...(count === undefined ? {} : { count }), defaultValue: "" }) ?? "");
    cache.set(cacheKey, template);
  }
  return template.includes(MARK) ? template.replace(MARKED, (_, name: string) => vars[name] ?? "") : template;
}

/** The sentence: "Ann answered your question “…”", "3 new answers on “…”", "You earned the badge …". */
export function notificationText(t: Translate, n: NotificationView): string {
  const vars = { who: n.actor?.displayName ?? translate(t, "notifications.someone"), title: n.thread?.title ?? "", tag: n.data.tag ?? "" };
  switch (n.kind) {
    case "badge_earned":
      return translate(t, "notifications.text.badge_earned", { badge: translate(t, `reputation.badge.${n.data.badge ?? "unknown"}.name`) || (n.data.badge ?? "") });
    case "privilege_reached":
      return translate(t, "notifications.text.privilege_reached", {
        privilege: translate(t, `reputation.privilege.${n.data.privilege ?? "unknown"}`) || (n.data.privilege ?? ""),
        threshold: String(n.data.threshold ?? 0),
      });
    case "thread_closed":
    case "thread_duplicate":
    case "thread_reopened":
    case "thread_merged":
    case "post_hidden":
    case "post_deleted":
    case "account_silenced":
      return moderationText(t, n, vars.title);
    case "ticket_reply":
    case "expert_offer":
    case "resolution_check":
      // Support's sentences live in the "support" section of the locale files (issue 20).
      return translate(t, `support.notifications.${n.kind}`, vars);
    default: {
      // The generic sentence only for a kind without its own (a later capability's, say).
      if (n.count > 1) return translate(t, `notifications.grouped.${n.kind}`, vars, n.count) || translate(t, "notifications.grouped.other", vars, n.count);
      return translate(t, `notifications.text.${n.kind}`, vars) || translate(t, "notifications.text.other", vars);
    }
  }
}

const MODERATION_KINDS = new Set(["thread_closed", "thread_duplicate", "thread_reopened", "thread_merged", "post_hidden", "post_deleted", "account_silenced"]);

/**
 * What moderators did to my thread or post (issue 19, ADR 068; the "moderationNotices" section of the
 * locale files): the close reason in words, "your answer in “…”" or "one of your questions" (a removed
 * question's thread is never named), and the moderator's note when they gave one.
 */
function moderationText(t: Translate, n: NotificationView, title: string): string {
  if (n.kind === "post_hidden" || n.kind === "post_deleted") {
    const which = n.thread && n.data.postKind === "answer" ? "answer" : "question";
    const text = translate(t, `moderationNotices.text.${n.kind}.${which}`, { title });
    return n.data.note ? translate(t, "moderationNotices.note", { text, note: n.data.note }) : text;
  }
  if (n.kind === "account_silenced") {
    // The end in UTC, as the sign-in refusal of a suspension shows it (ADR 047).
    const until = n.data.until ? `${n.data.until.slice(0, 16).replace("T", " ")} UTC` : "";
    const text = translate(t, until ? "moderationNotices.text.account_silenced.until" : "moderationNotices.text.account_silenced.indefinitely", { until });
    return n.data.note ? translate(t, "moderationNotices.note", { text, note: n.data.note }) : text;
  }
  const reason = n.data.reason ? translate(t, `moderationNotices.closeReason.${n.data.reason}`) : "";
  return translate(t, `moderationNotices.text.${n.kind}`, { title, reason });
}

/** Why the member got it, for the e-mail footer ("You get this because you asked this question."). */
export function notificationReason(t: Translate, n: Pick<NotificationView, "kind" | "data">): string {
  if (n.kind === "ticket_reply" || n.kind === "expert_offer" || n.kind === "resolution_check") return translate(t, `support.notifications.reason.${n.kind}`);
  if (MODERATION_KINDS.has(n.kind)) return translate(t, `moderationNotices.reason.${n.kind}`);
  return translate(t, `notifications.reason.${n.kind}`, { tag: n.data.tag ?? "" }) || translate(t, "notifications.reason.other");
}

/** The settings group a notice belongs to (answers, comments, accepts, mentions, achievements, watching). */
export function settingGroupOf(kind: string): string {
  return groupOf(kind) ?? "watching";
}
