import type { Transporter } from "nodemailer";
import { prisma } from "~/utils/db.server.ts";
import { memberStatusSql } from "~/modules/users/member-status.server.ts";
import { getEnv } from "~/utils/env.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { isPermanentRecipientFailure, openMailer, sendMail } from "~/utils/mail.server.ts";
import type { NotificationView } from "./describe-notification.ts";
import { kindDefaultsSql, mailableSql } from "./fan-out.server.ts";
import { renderDigestEmail, renderNotificationEmail, type MailItem, type MailRecipient, type RenderedMail } from "./notification-email.server.tsx";

/**
 * Sending notification e-mail idempotently (ADR 043). Every e-mail is first CLAIMED: a
 * notification_mails row with a unique (member, key) is committed, and the notices it carries point
 * to it, BEFORE the SMTP call. Then it is sent, then marked sent. So:
 * - a job that runs twice, or a second worker, finds the claim and sends nothing;
 * - a process killed during the SMTP call leaves the claim in "sending": the retry does not send
 *   again (at most once; the e-mail keeps a fixed Message-ID either way);
 * - an SMTP refusal (connection, 4xx) marks it "failed" and frees its notices, so the job's retry
 *   claims and sends it again; a permanent refusal of the address (5xx on RCPT) is a bounce: the
 *   member is notified in-app only until their address changes.
 */

function mailHost(): string {
  try {
    return new URL(getEnv().APP_URL ?? "http://threadwise.local").hostname || "threadwise.local";
  } catch {
    return "threadwise.local";
  }
}

type ClaimRow = {
  mail_id: bigint;
  message_id: string;
  id: bigint;
  recipient_id: string;
  kind: string;
  thread_id: bigint | null;
  post_id: bigint | null;
  comment_id: bigint | null;
  data: NotificationView["data"];
  created_at: Date;
  email: string;
  handle: string;
  display_name: string;
  language: string | null;
  actor_handle: string | null;
  actor_name: string | null;
  slug: string | null;
  title: string | null;
  excerpt: string | null;
};

export type SendOutcome = "sent" | "skipped" | "bounced";

/**
 * The `send-notification-email` job: one notice, for a member who chose "at once". Nothing is sent
 * when the notice was read in the app meanwhile, withdrawn (hidden or deleted content), already
 * mailed, or when the member changed the setting, is no longer active or their address bounced.
 */
export async function sendNotificationEmail(notificationId: bigint): Promise<SendOutcome> {
  const messageId = `<n-${notificationId}@${mailHost()}>`;
  const [row] = await prisma.$queryRaw<ClaimRow[]>`
    WITH n AS (
      SELECT n.id, n.recipient_id, n.kind, n.thread_id, n.post_id, n.comment_id, n.data, n.created_at,
        u.email, u.handle, u.display_name, u.language, a.handle AS actor_handle, a.display_name AS actor_name, t.slug, t.title,
        CASE WHEN n.comment_id IS NOT NULL THEN c.body ELSE p.body_text END AS excerpt
      FROM notifications n
      JOIN users u ON u.id = n.recipient_id
      JOIN ${kindDefaultsSql()} ON kd.kind = n.kind
      LEFT JOIN notification_settings s ON s.user_id = n.recipient_id AND s.kind = kd.grp
      LEFT JOIN users a ON a.id = n.actor_id
      LEFT JOIN threads t ON t.id = n.thread_id
      LEFT JOIN posts p ON p.id = n.post_id
      LEFT JOIN comments c ON c.id = n.comment_id
      WHERE n.id = ${notificationId} AND n.read_at IS NULL AND n.withdrawn_at IS NULL AND n.mail_id IS NULL
        AND ${memberStatusSql("u")} <> 'suspended' AND COALESCE(s.delivery, kd.delivery) = 'immediate' AND ${mailableSql("u")}
    ),
    claim AS (
      INSERT INTO notification_mails (user_id, mail_key, to_address, message_id)
      SELECT recipient_id, 'n:' || id, email, ${messageId} FROM n
      ON CONFLICT (user_id, mail_key) DO UPDATE SET status = 'sending', attempts = notification_mails.attempts + 1, error = '', to_address = EXCLUDED.to_address
        WHERE notification_mails.status = 'failed'
      RETURNING id, message_id
    ),
    mark AS (UPDATE notifications SET mail_id = claim.id FROM claim WHERE notifications.id = ${notificationId} RETURNING 1)
    SELECT claim.id AS mail_id, claim.message_id, n.*, (SELECT count(*) FROM mark) AS marked FROM claim, n`;
  if (!row) return "skipped";
  const recipient: MailRecipient = { userId: row.recipient_id, handle: row.handle, displayName: row.display_name, language: row.language };
  const mail = renderNotificationEmail(recipient, { ...toView(row), excerpt: row.excerpt });
  return deliver(row.mail_id, { userId: row.recipient_id, to: row.email, messageId: row.message_id }, mail);
}

function toView(row: {
  id: bigint;
  kind: string;
  created_at: Date | string;
  thread_id: bigint | string | null;
  post_id: bigint | string | null;
  comment_id: bigint | string | null;
  data: NotificationView["data"] | null;
  actor_handle: string | null;
  actor_name: string | null;
  slug: string | null;
  title: string | null;
}): NotificationView {
  return {
    ids: [String(row.id)],
    kind: row.kind,
    count: 1,
    unread: true,
    createdAt: new Date(row.created_at).toISOString(),
    actor: row.actor_handle ? { handle: row.actor_handle, displayName: row.actor_name ?? row.actor_handle } : null,
    thread: row.thread_id !== null && row.slug ? { id: String(row.thread_id), slug: row.slug, title: row.title ?? "" } : null,
    postId: row.post_id === null ? null : String(row.post_id),
    commentId: row.comment_id === null ? null : String(row.comment_id),
    data: row.data ?? {},
  };
}

type Envelope = { userId: string; to: string; messageId: string };

/** Sends a claimed e-mail and records the outcome (ADR 043). Throws when the queue should retry. */
async function deliver(mailId: bigint, envelope: Envelope, mail: RenderedMail, via?: Transporter): Promise<SendOutcome> {
  try {
    await sendMail({ to: envelope.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers, messageId: envelope.messageId }, via);
  } catch (error) {
    const outcome = await recordFailure(mailId, envelope, error);
    if (outcome === "bounced") return "bounced";
    throw error;
  }
  await prisma.$executeRaw`UPDATE notification_mails SET status = 'sent', sent_at = now() WHERE id = ${mailId}`;
  return "sent";
}

/** A refused e-mail: a bounce (5xx on the address) is final; anything else frees the claim for the retry. */
async function recordFailure(mailId: bigint, envelope: Envelope, error: unknown): Promise<"bounced" | "failed"> {
  const reason = String((error as Error)?.message ?? error).slice(0, 500);
  if (isPermanentRecipientFailure(error)) {
    await prisma.$transaction([
      prisma.$executeRaw`UPDATE notification_mails SET status = 'bounced', error = ${reason} WHERE id = ${mailId}`,
      prisma.$executeRaw`
        INSERT INTO mail_bounces (user_id, email, reason) SELECT id, email_normalized, ${reason} FROM users WHERE id = ${envelope.userId}
        ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, reason = EXCLUDED.reason, bounced_at = now()`,
    ]);
    logger.warn({ to: envelope.to, reason }, "notification e-mail bounced: the member is notified in-app only until the address changes");
    return "bounced";
  }
  await prisma.$transaction([
    prisma.$executeRaw`UPDATE notification_mails SET status = 'failed', error = ${reason} WHERE id = ${mailId}`,
    prisma.$executeRaw`UPDATE notifications SET mail_id = NULL WHERE mail_id = ${mailId}`,
  ]);
  return "failed";
}

// ------------------------------------------------------------------------------------------------
// Digests
// ------------------------------------------------------------------------------------------------

export type DigestPeriod = "daily" | "weekly";
const PERIOD_MS: Record<DigestPeriod, number> = { daily: 86_400_000, weekly: 7 * 86_400_000 };
/** Members claimed (and their e-mails rendered and sent) per statement. */
const BATCH = 200;
/** E-mails in flight at once over the pooled SMTP connections. */
const SENDING = 16;
/** Lines listed in one digest; the rest are summed up with a link to the notifications page. */
const DIGEST_LINES = 50;

/** The digest's key: the UTC day of the run, or the Monday of its week. One digest per member per key. */
export function digestKey(period: DigestPeriod, at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (period === "weekly") day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return `${period}:${day.toISOString().slice(0, 10)}`;
}

type DigestClaim = {
  mail_id: bigint;
  user_id: string;
  to_address: string;
  message_id: string;
  handle: string;
  display_name: string;
  language: string | null;
  items: { id: string; kind: string; thread_id: string | null; post_id: string | null; comment_id: string | null; data: NotificationView["data"]; created_at: string; slug: string | null; title: string | null; actor_handle: string | null; actor_name: string | null }[];
};

export type DigestReport = { key: string; members: number; sent: number; bounced: number; failed: number; findMs: number; claimMs: number; renderMs: number; sendMs: number };

/**
 * The `notification-digests` cron job: one e-mail per member per period with every notice of a
 * group they receive as that digest that is still unread, visible and not yet mailed (created in the
 * last two periods, so a missed run is caught up without mailing old history). A member with
 * nothing new gets nothing. Members are claimed 200 per statement (ADR 043), their e-mails sent
 * over pooled SMTP connections, 16 at a time. Running it again for the same period sends nothing
 * twice: every claim is unique per (member, period key).
 */
export async function sendDigests(period: DigestPeriod, at: Date = new Date()): Promise<DigestReport> {
  const key = digestKey(period, at);
  const since = new Date(at.getTime() - 2 * PERIOD_MS[period]);
  const started = performance.now();
  const pending = await prisma.$queryRaw<{ recipient_id: string }[]>`
    SELECT DISTINCT n.recipient_id FROM notifications n
    JOIN ${kindDefaultsSql()} ON kd.kind = n.kind
    LEFT JOIN notification_settings s ON s.user_id = n.recipient_id AND s.kind = kd.grp
    WHERE n.mail_id IS NULL AND n.read_at IS NULL AND n.withdrawn_at IS NULL AND n.created_at > ${since} AND n.created_at <= ${at}
      AND COALESCE(s.delivery, kd.delivery) = ${period}
      AND NOT EXISTS (SELECT 1 FROM notification_mails m WHERE m.user_id = n.recipient_id AND m.mail_key = ${key} AND m.status <> 'failed')`;
  const ids = pending.map((r) => r.recipient_id).sort();
  const report: DigestReport = { key, members: ids.length, sent: 0, bounced: 0, failed: 0, findMs: Math.round(performance.now() - started), claimMs: 0, renderMs: 0, sendMs: 0 };
  if (ids.length === 0) return report;
  const mailer = openMailer(SENDING);
  let firstFailure: unknown;
  try {
    for (let start = 0; start < ids.length; start += BATCH) {
      let phase = performance.now();
      const claims = await claimDigests(period, key, since, at, ids.slice(start, start + BATCH));
      report.claimMs += performance.now() - phase;
      phase = performance.now();
      const mails = claims.map((claim) => {
        const recipient: MailRecipient = { userId: claim.user_id, handle: claim.handle, displayName: claim.display_name, language: claim.language };
        const items: MailItem[] = claim.items.slice(0, DIGEST_LINES).map((i) => toView({ ...i, id: BigInt(i.id) }));
        return { claim, mail: renderDigestEmail(recipient, period, items, claim.items.length) };
      });
      report.renderMs += performance.now() - phase;
      phase = performance.now();
      const sent: bigint[] = [];
      await eachLimited(mails, SENDING, async ({ claim, mail }) => {
        try {
          await sendMail({ to: claim.to_address, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers, messageId: claim.message_id }, mailer.transport);
          sent.push(claim.mail_id);
        } catch (error) {
          const outcome = await recordFailure(claim.mail_id, { userId: claim.user_id, to: claim.to_address, messageId: claim.message_id }, error);
          if (outcome === "bounced") report.bounced += 1;
          else {
            report.failed += 1;
            firstFailure ??= error;
          }
        }
      });
      if (sent.length > 0) await prisma.$executeRaw`UPDATE notification_mails SET status = 'sent', sent_at = now() WHERE id = ANY(${sent}::bigint[])`;
      report.sendMs += performance.now() - phase;
      report.sent += sent.length;
    }
  } finally {
    mailer.close();
  }
  for (const phase of ["claimMs", "renderMs", "sendMs"] as const) report[phase] = Math.round(report[phase]);
  logger.info(report, "notification digests sent");
  // Refused e-mails were freed: the job's retry claims and sends just those.
  if (firstFailure !== undefined) throw firstFailure;
  return report;
}

/** Claims the digests of a batch of members in one statement and returns them with their notices. */
async function claimDigests(period: DigestPeriod, key: string, since: Date, at: Date, ids: string[]): Promise<DigestClaim[]> {
  const messagePrefix = `<digest-${key.replace(":", "-")}-`;
  return prisma.$queryRaw<DigestClaim[]>`
    WITH members AS (
      SELECT u.id, u.email, u.handle, u.display_name, u.language FROM users u
      WHERE u.id = ANY(${ids}::text[]) AND ${memberStatusSql("u")} <> 'suspended' AND ${mailableSql("u")}
    ),
    items AS (
      SELECT n.id, n.recipient_id FROM notifications n
      JOIN members m ON m.id = n.recipient_id
      JOIN ${kindDefaultsSql()} ON kd.kind = n.kind
      LEFT JOIN notification_settings s ON s.user_id = n.recipient_id AND s.kind = kd.grp
      WHERE n.mail_id IS NULL AND n.read_at IS NULL AND n.withdrawn_at IS NULL AND n.created_at > ${since} AND n.created_at <= ${at}
        AND COALESCE(s.delivery, kd.delivery) = ${period}
    ),
    claim AS (
      INSERT INTO notification_mails (user_id, mail_key, to_address, message_id)
      SELECT m.id, ${key}, m.email, ${messagePrefix} || m.id || ${`@${mailHost()}>`} FROM members m
      WHERE EXISTS (SELECT 1 FROM items i WHERE i.recipient_id = m.id)
      ON CONFLICT (user_id, mail_key) DO UPDATE SET status = 'sending', attempts = notification_mails.attempts + 1, error = '', to_address = EXCLUDED.to_address
        WHERE notification_mails.status = 'failed'
      RETURNING id, user_id, to_address, message_id
    ),
    mark AS (
      UPDATE notifications n SET mail_id = c.id FROM items i JOIN claim c ON c.user_id = i.recipient_id
      WHERE n.id = i.id
      RETURNING n.id, n.recipient_id, n.kind, n.thread_id, n.post_id, n.comment_id, n.data, n.created_at, n.actor_id
    )
    SELECT c.id AS mail_id, c.user_id, c.to_address, c.message_id, m.handle, m.display_name, m.language,
      json_agg(json_build_object(
        'id', k.id::text, 'kind', k.kind, 'thread_id', k.thread_id::text, 'post_id', k.post_id::text, 'comment_id', k.comment_id::text,
        'data', k.data, 'created_at', k.created_at, 'slug', t.slug, 'title', t.title, 'actor_handle', a.handle, 'actor_name', a.display_name
      ) ORDER BY k.created_at DESC, k.id DESC) AS items
    FROM claim c JOIN members m ON m.id = c.user_id JOIN mark k ON k.recipient_id = c.user_id
    LEFT JOIN threads t ON t.id = k.thread_id LEFT JOIN users a ON a.id = k.actor_id
    GROUP BY c.id, c.user_id, c.to_address, c.message_id, m.handle, m.display_name, m.language`;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

