import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { getEnv } from "~/utils/env.server.ts";
import { getI18n, toLanguage, type Language } from "~/utils/i18n.ts";
import { notificationPath, notificationReason, notificationText, translate, type NotificationView } from "./describe-notification.ts";
import { groupOf, type SettingGroup } from "./notification-kinds.ts";
import { unsubscribeToken } from "./unsubscribe.server.ts";

/**
 * Notification e-mails (ADR 042): React components rendered with renderToStaticMarkup for the HTML
 * part (React escapes every text, so a title with markup arrives as text) and a plain-text part
 * built from the same model. Both say why the e-mail was sent, link to the exact post, and carry the
 * member's settings and unsubscribe links; the headers carry RFC 8058 one-click unsubscribe.
 */

export type RenderedMail = { subject: string; html: string; text: string; headers: Record<string, string> };
/** `language`: the member's stored choice (ADR 055); none is English. */
export type MailRecipient = { userId: string; handle: string; displayName: string; language?: string | null };
export type MailItem = NotificationView & { excerpt?: string | null };

type Texts = {
  lang: Language;
  /** i18next's t for the language: one stable function per language, so translate() caches its templates. */
  raw: (key: string, options?: Record<string, unknown>) => string;
  t: (key: string, vars?: Record<string, string>, count?: number) => string;
};
const textsByLanguage = new Map<Language, Texts>();

/** The texts of an e-mail, in the recipient's language (ADR 055). */
function textsFor(recipient: MailRecipient): Texts {
  const lang = toLanguage(recipient.language);
  let texts = textsByLanguage.get(lang);
  if (!texts) {
    const raw = (key: string, options?: Record<string, unknown>) => getI18n(lang).t(key, options) as string;
    texts = { lang, raw, t: (key, vars, count) => translate(raw, key, vars, count) };
    textsByLanguage.set(lang, texts);
  }
  return texts;
}

function appUrl(path: string): string {
  const base = (getEnv().APP_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  return `${base}${path}`;
}

/** Subjects are one line of plain text: line breaks and control characters become spaces. */
function subjectLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  return [...line].length > 180 ? `${[...line].slice(0, 179).join("")}…` : line;
}

/** The member's unsubscribe page for one group (the same URL serves the RFC 8058 one-click POST). */
function unsubscribeUrl(recipient: MailRecipient, group: SettingGroup): string {
  return appUrl(`/unsubscribe/${unsubscribeToken(recipient.userId, group)}`);
}

function unsubscribeHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

const styles = {
  body: { margin: 0, padding: "24px 12px", background: "#f4f5f7", fontFamily: "-apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'PingFang SC', 'PingFang TC', 'Microsoft YaHei', 'Microsoft JhengHei', 'Noto Sans CJK SC', sans-serif", color: "#1f2328" },
  card: { maxWidth: 560, margin: "0 auto", background: "#ffffff", borderRadius: 8, padding: 24, border: "1px solid #d8dee4" },
  brand: { fontWeight: 700, fontSize: 16, color: "#1f6feb", margin: "0 0 16px" },
  headline: { fontSize: 18, lineHeight: 1.4, margin: "0 0 12px" },
  quote: { margin: "0 0 16px", padding: "8px 12px", borderLeft: "3px solid #d8dee4", color: "#424a53", whiteSpace: "pre-wrap" as const },
  button: { display: "inline-block", background: "#1f6feb", color: "#ffffff", padding: "10px 16px", borderRadius: 6, textDecoration: "none", fontWeight: 600 },
  item: { margin: "0 0 12px" },
  footer: { maxWidth: 560, margin: "16px auto 0", fontSize: 12, lineHeight: 1.5, color: "#57606a" },
  link: { color: "#1f6feb" },
};

function Layout({ lang, title, children, footer }: { lang: Language; title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
      </head>
      <body style={styles.body}>
        <div style={styles.card}>
          <p style={styles.brand}>Threadwise</p>
          {children}
        </div>
        <div style={styles.footer}>{footer}</div>
      </body>
    </html>
  );
}

function Footer({ texts, reason, links }: { texts: Texts; reason: string; links: { group: SettingGroup; url: string }[] }) {
  const { t } = texts;
  return (
    <>
      <p style={{ margin: "0 0 6px" }}>{reason}</p>
      <p style={{ margin: "0 0 6px" }}>
        <a href={appUrl("/account/notifications")} style={styles.link}>
          {t("notifications.email.settings")}
        </a>
        {links.map(({ group, url }) => (
          <span key={group}>
            {" · "}
            <a href={url} style={styles.link}>
              {t("notifications.email.unsubscribe", { group: t(`notifications.groups.${group}.label`) })}
            </a>
          </span>
        ))}
      </p>
    </>
  );
}

function html(element: ReactNode): string {
  return `<!DOCTYPE html>${renderToStaticMarkup(<>{element}</>)}`;
}

function excerptOf(item: MailItem): string | null {
  const text = (item.excerpt ?? "").replace(/\s+/g, " ").trim();
  if (!text) return null;
  return [...text].length > 300 ? `${[...text].slice(0, 299).join("")}…` : text;
}

/** One notice, sent at once. */
export function renderNotificationEmail(recipient: MailRecipient, item: MailItem): RenderedMail {
  const texts = textsFor(recipient);
  const { t, raw: tr } = texts;
  const group = (groupOf(item.kind) ?? "watching") as SettingGroup;
  const headline = notificationText(tr, item);
  const url = appUrl(notificationPath(item, recipient.handle));
  const reason = notificationReason(tr, item);
  const excerpt = excerptOf(item);
  const open = t("notifications.email.open");
  const unsubscribe = unsubscribeUrl(recipient, group);
  const footerText = [
    "--",
    reason,
    `${t("notifications.email.settings")}: ${appUrl("/account/notifications")}`,
    `${t("notifications.email.unsubscribe", { group: t(`notifications.groups.${group}.label`) })}: ${unsubscribe}`,
  ].join("\n");
  return {
    subject: subjectLine(headline),
    html: html(
      <Layout lang={texts.lang} title={subjectLine(headline)} footer={<Footer texts={texts} reason={reason} links={[{ group, url: unsubscribe }]} />}>
        <p style={styles.headline}>{headline}</p>
        {excerpt ? <blockquote style={styles.quote}>{excerpt}</blockquote> : null}
        <p style={{ margin: 0 }}>
          <a href={url} style={styles.button}>
            {open}
          </a>
        </p>
      </Layout>,
    ),
    text: [headline, ...(excerpt ? ["", `“${excerpt}”`] : []), "", `${open}: ${url}`, "", footerText].join("\n"),
    headers: unsubscribeHeaders(unsubscribe),
  };
}

/** A daily or weekly digest: everything unread that was not mailed yet, newest first. */
export function renderDigestEmail(recipient: MailRecipient, period: "daily" | "weekly", items: MailItem[], total = items.length): RenderedMail {
  const texts = textsFor(recipient);
  const { t, raw: tr } = texts;
  const groups = [...new Set(items.map((i) => (groupOf(i.kind) ?? "watching") as SettingGroup))];
  // The one-click header names the group with the most items (usually "watching").
  const main = groups.map((g) => [g, items.filter((i) => groupOf(i.kind) === g).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  const title = t(`notifications.email.digest.${period}`, {}, total);
  const more = total > items.length ? t("notifications.email.digest.more", {}, total - items.length) : null;
  const allUrl = appUrl("/notifications");
  const reason = t("notifications.email.digest.reason", { period: t(`notifications.delivery.${period}`) });
  const lines = items.map((item) => ({ text: notificationText(tr, item), url: appUrl(notificationPath(item, recipient.handle)), excerpt: excerptOf(item) }));
  const links = groups.map((group) => ({ group, url: unsubscribeUrl(recipient, group) }));
  const unsubscribeLines = links.map(({ group, url }) => `${t("notifications.email.unsubscribe", { group: t(`notifications.groups.${group}.label`) })}: ${url}`);
  return {
    subject: subjectLine(title),
    html: html(
      <Layout lang={texts.lang} title={title} footer={<Footer texts={texts} reason={reason} links={links} />}>
        <p style={styles.headline}>{title}</p>
        <ul style={{ padding: "0 0 0 18px", margin: 0 }}>
          {lines.map((line, index) => (
            <li key={index} style={styles.item}>
              <a href={line.url} style={styles.link}>
                {line.text}
              </a>
              {line.excerpt ? <div style={{ color: "#57606a", fontSize: 14 }}>{line.excerpt}</div> : null}
            </li>
          ))}
        </ul>
        {more ? (
          <p style={{ margin: "12px 0 0" }}>
            <a href={allUrl} style={styles.link}>
              {more}
            </a>
          </p>
        ) : null}
      </Layout>,
    ),
    text: [
      title,
      "",
      ...lines.map((line) => `- ${line.text}\n  ${line.url}${line.excerpt ? `\n  “${line.excerpt}”` : ""}`),
      ...(more ? [`${more}: ${allUrl}`] : []),
      "",
      "--",
      reason,
      `${t("notifications.email.settings")}: ${appUrl("/account/notifications")}`,
      ...unsubscribeLines,
    ].join("\n"),
    headers: unsubscribeHeaders(links.find((l) => l.group === main)!.url),
  };
}
