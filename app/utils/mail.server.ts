import fs from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "./env.server.ts";
import { logger } from "./logger.server.ts";

export type Mail = { to: string; subject: string; text: string; html?: string };

let transport: Transporter | undefined;

/**
 * Sends one e-mail. With SMTP_URL set it goes through SMTP (nodemailer); without, it is written to
 * the log and as a file under MAIL_DIR, so a laptop demo can still complete a password reset.
 * Called only from the job queue (app/utils/jobs.server.ts), never inside a request.
 */
export async function sendMail(mail: Mail): Promise<void> {
  const env = getEnv();
  if (env.SMTP_URL) {
    transport ??= nodemailer.createTransport(env.SMTP_URL);
    await transport.sendMail({ from: env.MAIL_FROM, ...mail });
    logger.info({ to: mail.to, subject: mail.subject }, "mail sent over SMTP");
    return;
  }
  await fs.mkdir(env.MAIL_DIR, { recursive: true });
  const file = path.join(env.MAIL_DIR, `${new Date().toISOString().replace(/[:.]/g, "-")}-${Math.random().toString(36).slice(2, 8)}.eml`);
  const body = `From: ${env.MAIL_FROM}\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`;
  await fs.writeFile(file, body, "utf8");
  logger.info({ to: mail.to, subject: mail.subject, file, text: mail.text }, "mail written to file (no SMTP_URL set)");
}
