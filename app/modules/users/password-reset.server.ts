import crypto from "node:crypto";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { enqueue } from "~/utils/jobs.server.ts";
import { invalid, ok, rateLimited, type Result } from "~/utils/http.server.ts";
import { consume } from "~/utils/rate-limit.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { hashPassword, isCommonPassword } from "./password.server.ts";
import { endAllSessions } from "./sessions.server.ts";
import { COMMON_PASSWORD_MESSAGE, normalizeEmail } from "./sign-up.server.ts";
import { ForgotPasswordSchema, ResetPasswordSchema } from "./users.schema.ts";
import { getI18n, toLanguage } from "~/utils/i18n.ts";
import { msg } from "~/utils/messages.ts";

export const RESET_TTL_MS = 60 * 60 * 1000;
export const RESET_LINK_INVALID = "messages.users.resetLinkInvalid";

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/**
 * Asks for a password reset link. Rules: the answer is the same whether or not the e-mail is
 * registered; a new link voids every older unused one; the link works once, for one hour; only a
 * SHA-256 of the token is stored. The e-mail is enqueued in the same transaction. Event:
 * user.password_reset_requested. A repeat of the same form submission sends no second e-mail
 * (which would void the first link) and gets the same answer (ADR 030).
 */
export async function requestPasswordReset(input: unknown, meta: { ip: string; baseUrl: string }, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ sent: true }>> {
  const again = await earlierAnswer<{ sent: true }>(submission);
  if (again) return again;
  const parsed = ForgotPasswordSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const limit = await consume("resetRequestsPerIp", meta.ip);
  if (limit.limited) {
    return rateLimited(msg("messages.users.resetLimit", { wait: limit.retryAfterSeconds }), limit.retryAfterSeconds);
  }

  const user = await prisma.user.findUnique({
    where: { emailNormalized: normalizeEmail(parsed.data.email) },
    select: { id: true, email: true, displayName: true, status: true, language: true },
  });
  if (!user || user.status !== "active") return ok({ sent: true });

  const token = crypto.randomBytes(32).toString("base64url");
  const link = `${meta.baseUrl}/reset-password?token=${token}`;
  const { t } = getI18n(toLanguage(user.language));
  return prisma.$transaction((tx) => submitOnce(tx, submission, async () => {
    const now = new Date();
    await tx.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null, voidedAt: null }, data: { voidedAt: now } });
    await tx.passwordResetToken.create({ data: { userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + RESET_TTL_MS) } });
    await recordEvent(tx, { type: "user.password_reset_requested", actorId: null, subjectType: "user", subjectId: user.id });
    await enqueue(tx, "send-email", {
      to: user.email,
      // In the member's language (ADR 055, 071); English when they have none.
      subject: t("messages.email.reset.subject"),
      text: [t("messages.email.reset.hello", { name: user.displayName }), "", t("messages.email.reset.asked"), t("messages.email.reset.open"), "", link, "", t("messages.email.reset.ignore")].join("\n"),
    });
    return ok({ sent: true as const });
  }));
}

/**
 * Sets a new password from a reset link. The token row is locked, checked (not used, not voided,
 * not expired), marked used and the password replaced in one transaction, so a link works exactly
 * once even when submitted twice at the same moment. The same form sent again (a double click, a
 * retry) gets the first answer instead of "this link was used" (ADR 030). Every session of the
 * account ends. Event: user.password_reset.
 */
export async function resetPassword(input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ userId: string }>> {
  const again = await earlierAnswer<{ userId: string }>(submission);
  if (again) return again;
  const parsed = ResetPasswordSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  if (isCommonPassword(parsed.data.password)) return invalid({ password: [COMMON_PASSWORD_MESSAGE] });
  const passwordHash = await hashPassword(parsed.data.password);
  const tokenHash = hashToken(parsed.data.token);

  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<{ userId: string }>> => {
    const rows = await tx.$queryRaw<{ id: string; user_id: string; expires_at: Date; used_at: Date | null; voided_at: Date | null }[]>`
      SELECT id, user_id, expires_at, used_at, voided_at FROM password_reset_tokens WHERE token_hash = ${tokenHash} FOR NO KEY UPDATE`;
    const row = rows[0];
    if (!row || row.used_at || row.voided_at || row.expires_at.getTime() <= Date.now()) return invalid({}, [RESET_LINK_INVALID]);
    await tx.passwordResetToken.update({ where: { id: row.id }, data: { usedAt: new Date() } });
    await tx.password.upsert({ where: { userId: row.user_id }, create: { userId: row.user_id, hash: passwordHash }, update: { hash: passwordHash } });
    await endAllSessions(tx, row.user_id);
    await recordEvent(tx, { type: "user.password_reset", actorId: row.user_id, subjectType: "user", subjectId: row.user_id });
    return ok({ userId: row.user_id });
  }));
}

/** Whether a reset link can still be used, to show the form or an explanation. Reads only. */
export async function isResetTokenUsable(token: string): Promise<boolean> {
  const row = await prisma.passwordResetToken.findUnique({ where: { tokenHash: hashToken(token) }, select: { expiresAt: true, usedAt: true, voidedAt: true } });
  return !!row && !row.usedAt && !row.voidedAt && row.expiresAt.getTime() > Date.now();
}
