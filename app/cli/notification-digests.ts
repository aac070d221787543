/**
 * `npm run notifications:digest -- --period daily|weekly [--at 2026-12-07T07:00:00Z]` sends the
 * notification digests of that period now (the `notification-digests` cron job does it daily at
 * 07:00 UTC and weekly on Mondays) and prints one JSON line: members, sent, bounced, failed, wall
 * time. Safe to run again: a member gets at most one digest per period (ADR 043). Uses
 * DATABASE_URL, and SMTP_URL (without it, e-mails are written under MAIL_DIR).
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { period: { type: "string" }, at: { type: "string" } } });
const at = values.at ? new Date(values.at) : new Date();
if (!process.env.DATABASE_URL || (values.period !== "daily" && values.period !== "weekly") || Number.isNaN(at.getTime())) {
  console.error("Usage: DATABASE_URL=… [SMTP_URL=…] npm run notifications:digest -- --period daily|weekly [--at <ISO time>]");
  process.exit(2);
}
const { sendDigests } = await import("~/modules/notifications/send-notification-mail.server.ts");
const { disconnectDb } = await import("~/utils/db.server.ts");
try {
  const started = performance.now();
  const report = await sendDigests(values.period, at);
  console.log(JSON.stringify({ period: values.period, ...report, wallMs: Math.round(performance.now() - started) }));
} finally {
  await disconnectDb();
}
