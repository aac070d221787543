import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { ssoOnly, ssoSettings } from "~/modules/sso/sso-config.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { clientIp } from "~/utils/form.server.ts";
import { forbidden, invalid, ok, rateLimited, type Result } from "~/utils/http.server.ts";
import { consume, LIMITS, refund, reset } from "~/utils/rate-limit.server.ts";
import { burnPasswordCheck, verifyPassword } from "./password.server.ts";
import { liftEndedSuspension } from "./set-suspension.server.ts";
import { normalizeEmail } from "./sign-up.server.ts";
import { LoginSchema } from "./users.schema.ts";
import { msg } from "~/utils/messages.ts";

/** Deliberately the same for an unknown e-mail and a wrong password: sign-in never tells which. */
export const WRONG_CREDENTIALS = "messages.users.wrongCredentials";

/**
 * Checks e-mail and password. Rules: 5 failed attempts per account or 20 per address within
 * 15 minutes lock sign-in (429) until the window ends, even with the right password; an unknown
 * e-mail costs the same time and counts the same as a wrong password. Every attempt pays its point
 * before the password is checked, so parallel attempts cannot check more passwords than the limit
 * allows; the right password gets its point back. With "SSO only" (ADR 065) a member's right password
 * is refused with a pointer to the provider; admins keep password sign-in so they cannot be locked
 * out, and linking a provider identity (`linkingSso`) still checks the password. Event: user.signed_in.
 */
export async function verifySignIn(input: unknown, meta: { ip: string }, options: { linkingSso?: boolean } = {}): Promise<Result<{ userId: string }>> {
  const parsed = LoginSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const accountKey = normalizeEmail(parsed.data.email);

  const byIp = await consume("signInFailuresPerIp", meta.ip);
  if (byIp.limited) return lockedOut(byIp.retryAfterSeconds);
  const byAccount = await consume("signInFailuresPerAccount", accountKey);
  if (byAccount.limited) {
    // No password was checked: this refusal is not a guess from this address.
    await refund("signInFailuresPerIp", meta.ip);
    return lockedOut(byAccount.retryAfterSeconds);
  }

  const user = await prisma.user.findUnique({
    where: { emailNormalized: accountKey },
    select: { id: true, status: true, role: true, suspendedUntil: true, suspensionReason: true, password: { select: { hash: true } } },
  });
  const matches = user?.password ? await verifyPassword(user.password.hash, parsed.data.password) : (await burnPasswordCheck(parsed.data.password), false);

  if (!user || !matches) {
    // The failure that used up the last attempt already answers 429: the next one would be refused anyway.
    const locked = [byIp, byAccount].find((c) => c.exhausted);
    if (locked) return lockedOut(locked.retryAfterSeconds ?? LIMITS.signInFailuresPerAccount.duration);
    return invalid({}, [WRONG_CREDENTIALS]);
  }
  // The right password was no failure: its points go back (a sign-in also forgets the account's failures).
  await refund("signInFailuresPerIp", meta.ip);
  // A suspension whose end has passed lifts now (issue 19); one still running refuses with its reason and end.
  if (user.status !== "active" && !(await liftEndedSuspension(user.id))) {
    await refund("signInFailuresPerAccount", accountKey);
    return forbidden(suspendedMessage(user.suspendedUntil, user.suspensionReason));
  }

  await reset("signInFailuresPerAccount", accountKey);
  // SSO only (ADR 065): checked after the password, so it tells nothing to someone who does not know it.
  if (!options.linkingSso && user.role !== "admin" && ssoOnly()) {
    const provider = ssoSettings()?.displayName;
    return forbidden(provider ? msg("messages.users.ssoOnly", { provider }) : "messages.users.ssoOnlyGeneric");
  }
  await prisma.$transaction((tx) => recordEvent(tx, { type: "user.signed_in", actorId: user.id, subjectType: "user", subjectId: user.id }));
  return ok({ userId: user.id });
}

/** What a suspended member reads at sign-in: until when (in UTC) and why. */
export function suspendedMessage(until: Date | null, reason: string): string {
  if (!until) return reason ? msg("messages.users.suspendedForeverReason", { reason }) : "messages.users.suspendedForever";
  const at = until.toISOString().slice(0, 16).replace("T", " ");
  return reason ? msg("messages.users.suspendedUntilReason", { until: at, reason }) : msg("messages.users.suspendedUntil", { until: at });
}

/** The answer while an account or address may not try passwords (shared with changePassword). */
export function lockedOut(retryAfterSeconds: number) {
  return rateLimited(msg("messages.users.signInLimit", { wait: retryAfterSeconds }), retryAfterSeconds);
}

/**
 * remix-auth with its form strategy: the strategy reads the posted form and hands it to
 * verifySignIn; the route turns the result into a session (remix-auth 4 leaves sessions to us).
 */
export const authenticator = new Authenticator<Result<{ userId: string }>>();
authenticator.use(
  new FormStrategy(async ({ form, request }) =>
    verifySignIn({ email: form.get("email") ?? undefined, password: form.get("password") ?? undefined }, { ip: clientIp(request) }),
  ),
  "form",
);
