import { recordEvent } from "~/modules/events/record-event.server.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, invalid, ok, rateLimited, type Result } from "~/utils/http.server.ts";
import { consume } from "~/utils/rate-limit.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { hashPassword, isCommonPassword } from "./password.server.ts";
import type { Language } from "~/utils/i18n.ts";
import type { Role } from "./roles.ts";
import { HONEYPOT_FIELD, SignupSchema } from "./users.schema.ts";
import { msg } from "~/utils/messages.ts";

export const COMMON_PASSWORD_MESSAGE = "messages.users.commonPassword";

/** `language`: the page's language at sign-up, kept as the member's setting so e-mails use it (ADR 055). */
export type NewAccount = { email: string; handle: string; displayName: string; password: string; language?: Language | null };

/**
 * Sign-up. Rules: the e-mail is unique whatever its letter case, the handle is unique (stored lower
 * case), the password has at least 10 characters and is not a common one. Uniqueness is enforced by
 * the database, and a lost race comes back as a field error, not a 500. A repeat of the same form
 * submission from the same browser (double click, resent POST) creates nothing and gets the first
 * answer, so the person is signed in rather than told the e-mail is taken (ADR 030). A filled honeypot
 * field (HONEYPOT_FIELD, hidden from people) is refused with 400 before anything is checked or counted.
 * Event: user.signed_up.
 */
export async function signUp(input: unknown, meta: { ip: string; language?: Language }, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ userId: string }>> {
  const again = await earlierAnswer<{ userId: string }>(submission);
  if (again) return again;
  // The honeypot (issue 19): a field people never see, so only a bot fills it. Nothing is created.
  if (honeypotFilled(input)) return invalid({}, [HONEYPOT_MESSAGE]);
  const parsed = SignupSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  if (isCommonPassword(parsed.data.password)) return invalid({ password: [COMMON_PASSWORD_MESSAGE] });

  const limit = await consume("signUpPerIp", meta.ip);
  if (limit.limited) {
    return rateLimited(msg("messages.users.signUpLimit", { wait: limit.retryAfterSeconds }), limit.retryAfterSeconds);
  }
  return createAccount({ ...parsed.data, language: meta.language ?? null }, "member", null, submission);
}

export const HONEYPOT_MESSAGE = "messages.users.honeypot";

function honeypotFilled(input: unknown): boolean {
  if (typeof input !== "object" || input === null) return false;
  const value = (input as Record<string, unknown>)[HONEYPOT_FIELD];
  return typeof value === "string" ? value.trim() !== "" : value !== undefined && value !== null;
}

/** Creates an account with a role; shared by sign-up, the create-admin command and the demo seed. */
export async function createAccount(account: NewAccount, role: Role, actorId: string | null, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ userId: string }>> {
  const passwordHash = await hashPassword(account.password);
  try {
    return await prisma.$transaction((tx) => submitOnce(tx, submission, async () => {
      const user = await tx.user.create({
        data: {
          email: account.email.trim(),
          emailNormalized: normalizeEmail(account.email),
          handle: account.handle.trim().toLowerCase(),
          displayName: account.displayName.trim(),
          role,
          language: account.language ?? null,
          password: { create: { hash: passwordHash } },
        },
        select: { id: true },
      });
      await recordEvent(tx, { type: "user.signed_up", actorId: actorId ?? user.id, subjectType: "user", subjectId: user.id, payload: { role } });
      return ok({ userId: user.id });
    }));
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const target = JSON.stringify(error.meta ?? {});
      if (target.includes("handle")) return conflict("messages.users.handleTaken", { handle: ["messages.users.handleTakenField"] });
      return conflict("messages.users.emailTaken", {
        email: ["messages.users.emailTakenField"],
      });
    }
    throw error;
  }
}

/** E-mail addresses match whatever their letter case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

