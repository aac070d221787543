import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { invalid, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { consume, LIMITS, refund } from "~/utils/rate-limit.server.ts";
import { hashPassword, isCommonPassword, verifyPassword } from "./password.server.ts";
import type { CurrentUser } from "./sessions.server.ts";
import { endAllSessions } from "./sessions.server.ts";
import { lockedOut } from "./sign-in.server.ts";
import { COMMON_PASSWORD_MESSAGE, normalizeEmail } from "./sign-up.server.ts";
import { ChangePasswordSchema } from "./users.schema.ts";

/**
 * Changes the actor's password after checking the current one. Every other session of the account
 * ends; this one stays signed in. A wrong current password counts as a failed sign-in of the account
 * (5 per 15 minutes, paid for before the check, as in verifySignIn), so a borrowed session cannot
 * guess the password here either. The same form sent again (a double click, a retry) gets the first
 * answer rather than "not your current password" (ADR 030). Event: user.password_changed.
 */
export async function changePassword(actor: CurrentUser, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ endedSessions: number }>> {
  const again = await earlierAnswer<{ endedSessions: number }>(submission);
  if (again) return again;
  const parsed = ChangePasswordSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const accountKey = normalizeEmail(actor.email);
  const attempt = await consume("signInFailuresPerAccount", accountKey);
  if (attempt.limited) return lockedOut(attempt.retryAfterSeconds);
  const current = await prisma.password.findUnique({ where: { userId: actor.id }, select: { hash: true } });
  if (!current || !(await verifyPassword(current.hash, parsed.data.currentPassword))) {
    if (attempt.exhausted) return lockedOut(attempt.retryAfterSeconds ?? LIMITS.signInFailuresPerAccount.duration);
    return invalid({ currentPassword: ["messages.users.wrongCurrentPassword"] });
  }
  await refund("signInFailuresPerAccount", accountKey);
  if (isCommonPassword(parsed.data.newPassword)) return invalid({ newPassword: [COMMON_PASSWORD_MESSAGE] });
  const hash = await hashPassword(parsed.data.newPassword);
  return prisma.$transaction((tx) => submitOnce(tx, submission, async () => {
    await tx.password.update({ where: { userId: actor.id }, data: { hash } });
    const endedSessions = await endAllSessions(tx, actor.id, actor.sessionId);
    await recordEvent(tx, { type: "user.password_changed", actorId: actor.id, subjectType: "user", subjectId: actor.id, payload: { endedSessions } });
    return ok({ endedSessions });
  }));
}
