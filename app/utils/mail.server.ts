import fs from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "./env.server.ts";
import { logger } from "./logger.server.ts";
import { getMetrics } from "./metrics.server.ts";

export type Mail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post, …). */
  headers?: Record<string, string>;
  /** A fixed Message-ID ("<…@host>"), so the same e-mail keeps one identity across attempts. */
  messageId?: string;
};

let transport: Transporter | undefined;

/**
 * Sends one e-mail. With SMTP_URL set it goes through SMTP (nodemailer); without, it is written to
 * the log and as a file under MAIL_DIR, so a laptop demo can still complete a password reset.
 * Called only from the job queue (app/utils/jobs.server.ts), never inside a request. `via` is a
 * pooled transport from openMailer() for batches (digests).
 */
export async function sendMail(mail: Mail, via?: Transporter): Promise<void> {
  const transportName = getEnv().SMTP_URL ? "smtp" : "file";
  try {
    await deliver(mail, via);
  } catch (error) {
    getMetrics().countMail("failed", transportName);
    throw error;
  }
  getMetrics().countMail("sent", transportName);
}

async function deliver(mail: Mail, via?: Transporter): Promise<void> {
  const env = getEnv();
  if (env.SMTP_URL) {
    transport ??= nodemailer.createTransport(env.SMTP_URL);
    await (via ?? transport).sendMail({ from: env.MAIL_FROM, ...mail });
    logger.info({ to: mail.to, subject: mail.subject }, "mail sent over SMTP");
    return;
  }
  await fs.mkdir(env.MAIL_DIR, { recursive: true });
  const file = path.join(env.MAIL_DIR, `${new Date().toISOString().replace(/[:.]/g, "-")}-${Math.random().toString(36).slice(2, 8)}.eml`);
  const extra = Object.entries({ ...(mail.messageId ? { "Message-ID": mail.messageId } : {}), ...mail.headers })
    .map(([name, value]) => `${name}: ${value}\n`)
    .join("");
  const body = `From: ${env.MAIL_FROM}\nTo: ${mail.to}\nSubject: ${mail.subject}\n${extra}\n${mail.text}\n`;
  await fs.writeFile(file, body, "utf8");
  logger.info({ to: mail.to, subject: mail.subject, file, text: mail.text }, "mail written to file (no SMTP_URL set)");
}

/**
 * A pooled SMTP transport for sending many e-mails in a row (a few connections kept open instead of
 * one TCP and SMTP handshake per message); close it when done. Undefined without SMTP_URL.
 */
export function openMailer(maxConnections = 4): { transport: Transporter | undefined; close: () => void } {
  const url = getEnv().SMTP_URL;
  if (!url) return { transport: undefined, close: () => {} };
  const pooled = nodemailer.createTransport(`${url}${url.includes("?") ? "&" : "?"}pool=true&maxConnections=${maxConnections}&maxMessages=1000`);
  return { transport: pooled, close: () => pooled.close() };
}

/** An SMTP refusal that will not change on retry for this address (5xx on the recipient): a bounce. */
export function isPermanentRecipientFailure(error: unknown): boolean {
  const e = error as { code?: string; responseCode?: number } | null;
  return !!e && e.code === "EENVELOPE" && typeof e.responseCode === "number" && e.responseCode >= 500 && e.responseCode < 600;
}
