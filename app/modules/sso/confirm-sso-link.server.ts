import { recordEvent } from "~/modules/events/record-event.server.ts";
import { verifySignIn } from "~/modules/users/sign-in.server.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, invalid, ok, type Result } from "~/utils/http.server.ts";
import type { PendingLink } from "./sso-cookies.server.ts";

/**
 * Links a provider identity to the local account whose e-mail it shares, once that account's
 * password is given: the password check is sign-in's own (verifySignIn), with its rate limits,
 * its suspended-account refusal and its event. Never links by e-mail alone (ADR 065).
 */
export async function confirmSsoLink(pending: PendingLink, input: { password: unknown }, meta: { ip: string }): Promise<Result<{ userId: string; redirectTo: string }>> {
  const user = await prisma.user.findUnique({ where: { id: pending.userId }, select: { id: true, email: true } });
  if (!user) return invalid({}, ["messages.sso.accountGoneRestart"]);
  // "SSO only" must not stop this check: it proves the person owns the account they link.
  const signedIn = await verifySignIn({ email: user.email, password: input.password }, meta, { linkingSso: true });
  if (!signedIn.ok) return signedIn;
  try {
    await prisma.$transaction(async (tx) => {
      await tx.ssoIdentity.create({ data: { issuer: pending.issuer, subject: pending.subject, userId: user.id, email: pending.email.slice(0, 254) } });
      await recordEvent(tx, { type: "user.sso_linked", actorId: user.id, subjectType: "user", subjectId: user.id });
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return conflict("messages.sso.alreadyLinked");
    throw error;
  }
  return ok({ userId: user.id, redirectTo: pending.redirectTo });
}
