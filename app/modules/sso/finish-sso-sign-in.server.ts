import * as oidc from "openid-client";
import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import type { Role } from "~/modules/users/roles.ts";
import { endAllSessions } from "~/modules/users/sessions.server.ts";
import { lockedOut } from "~/modules/users/sign-in.server.ts";
import { normalizeEmail } from "~/modules/users/sign-up.server.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { clientIp } from "~/utils/form.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { consume, refund } from "~/utils/rate-limit.server.ts";
import { ssoCallbackUrl } from "./start-sso-sign-in.server.ts";
import { displayNameFromClaims, handleBaseFromClaims, roleFromClaims } from "./sso-claims.ts";
import { providerConfiguration, ssoSettings, type SsoSettings } from "./sso-config.server.ts";
import { readFlow, SSO_FLOW_SECONDS, type PendingLink } from "./sso-cookies.server.ts";

export const SSO_REFUSED = "messages.sso.refused";
export const SSO_SUSPENDED = "messages.sso.suspended";

export type SsoOutcome =
  | { kind: "signed-in"; userId: string; redirectTo: string; created: boolean }
  | { kind: "link-needed"; pending: PendingLink };

type Claims = oidc.IDToken & Record<string, unknown>;

/**
 * Finishes a sign-in when the provider sends the browser back. openid-client checks the
 * authorization response's `state` against this browser's flow cookie, exchanges the code with the
 * PKCE verifier, and verifies the ID token: signature against the provider's published keys, `iss`,
 * `aud`, `exp`, `iat` and the `nonce` (ADR 065). Then, by (issuer, subject):
 * - a linked account signs in (refused when suspended); its role follows the mapped claim, if any;
 * - an unlinked identity whose e-mail belongs to a local account is never linked here: the answer is
 *   "link-needed", and the link is made only after that account's password (confirmSsoLink);
 * - otherwise a member account is created with a handle derived from the claims, and linked.
 * Failures count against the address like wrong passwords do. Events: user.signed_in, user.signed_up,
 * user.role_changed (with an audit row).
 */
export async function finishSsoSignIn(request: Request): Promise<Result<SsoOutcome>> {
  const settings = ssoSettings();
  if (!settings) return notFound("messages.sso.notSetUp");
  const ip = clientIp(request);
  const byIp = await consume("signInFailuresPerIp", ip);
  if (byIp.limited) return lockedOut(byIp.retryAfterSeconds);

  const flow = await readFlow(request);
  if (!flow || flow.issuer !== settings.issuer) return invalid({}, ["messages.sso.expired"]);
  let claims: Claims;
  try {
    const config = await providerConfiguration(settings);
    const callback = new URL(ssoCallbackUrl(request));
    callback.search = new URL(request.url).search;
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return invalid({}, [SSO_REFUSED]);
    // Conformant providers put e-mail, profile and group claims in UserInfo rather than the ID token
    // when an access token is issued; UserInfo's `sub` must be the ID token's (openid-client checks it).
    const info = config.serverMetadata().userinfo_endpoint ? await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub) : {};
    claims = { ...info, ...idClaims } as Claims;
  } catch (error) {
    // The reason (bad state, nonce, signature, issuer, audience, expiry, provider error) is logged, not shown.
    logger.warn({ err: error, code: (error as { code?: string }).code }, "single sign-on refused");
    return invalid({}, [SSO_REFUSED]);
  }
  // A sign-in that got this far was no guess: its point goes back.
  await refund("signInFailuresPerIp", ip);
  return signInIdentity(settings, claims, flow.redirectTo);
}

async function signInIdentity(settings: SsoSettings, claims: Claims, redirectTo: string): Promise<Result<SsoOutcome>> {
  const issuer = settings.issuer;
  const subject = claims.sub;
  const identity = await prisma.ssoIdentity.findUnique({
    where: { issuer_subject: { issuer, subject } },
    select: { id: true, userId: true },
  });
  if (identity) {
    return prisma.$transaction(async (tx): Promise<Result<SsoOutcome>> => {
      const [user] = await tx.$queryRaw<{ id: string; role: Role; status: string }[]>`
        SELECT id, role::text AS role, status::text AS status FROM users WHERE id = ${identity.userId} FOR NO KEY UPDATE`;
      if (!user) return notFound("messages.sso.accountGone");
      if (user.status !== "active") return forbidden(SSO_SUSPENDED);
      await followRoleClaim(tx, settings, claims, user);
      await tx.ssoIdentity.update({ where: { id: identity.id }, data: { lastUsedAt: new Date(), email: typeof claims.email === "string" ? claims.email.slice(0, 254) : "" } });
      await recordEvent(tx, { type: "user.signed_in", actorId: user.id, subjectType: "user", subjectId: user.id });
      return ok({ kind: "signed-in", userId: user.id, redirectTo, created: false });
    });
  }

  const email = typeof claims.email === "string" ? claims.email.trim() : "";
  if (!email || email.length > 254 || !email.includes("@")) return invalid({}, ["messages.sso.noEmail"]);
  // An address the provider itself marks as unverified creates nothing and links nothing.
  if (claims.email_verified === false) return invalid({}, ["messages.sso.unverified"]);

  const existing = await prisma.user.findUnique({ where: { emailNormalized: normalizeEmail(email) }, select: { id: true } });
  if (existing) {
    return ok({ kind: "link-needed", pending: { issuer, subject, userId: existing.id, email, redirectTo, expires: Date.now() + SSO_FLOW_SECONDS * 1000 } });
  }
  return createLinkedAccount(settings, claims, email, redirectTo);
}

/** A new member account for a provider identity; a taken handle gets a number, a lost race is retried. */
async function createLinkedAccount(settings: SsoSettings, claims: Claims, email: string, redirectTo: string): Promise<Result<SsoOutcome>> {
  const base = handleBaseFromClaims(claims);
  const displayName = displayNameFromClaims(claims, base);
  const role = roleFromClaims(claims, settings.roleClaim, settings.roleMap, null) ?? "member";
  for (let attempt = 0; attempt < 8; attempt++) {
    const taken = await prisma.user.findMany({ where: { handle: { startsWith: base } }, select: { handle: true } });
    const handles = new Set(taken.map((t) => t.handle));
    let handle = base;
    for (let n = 2; handles.has(handle); n++) handle = `${base}-${attempt > 3 ? Math.floor(Math.random() * 1e6) : n}`;
    try {
      const userId = await prisma.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { email, emailNormalized: normalizeEmail(email), handle, displayName, role, ssoIdentities: { create: { issuer: settings.issuer, subject: claims.sub, email } } },
          select: { id: true },
        });
        await recordEvent(tx, { type: "user.signed_up", actorId: user.id, subjectType: "user", subjectId: user.id, payload: { role } });
        if (role !== "member") await auditRoleFromClaim(tx, settings, user.id, "member", role);
        await recordEvent(tx, { type: "user.signed_in", actorId: user.id, subjectType: "user", subjectId: user.id });
        return user.id;
      });
      return ok({ kind: "signed-in", userId, redirectTo, created: true });
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
      const target = JSON.stringify(error.meta ?? {});
      // The same identity signing in twice at once: the other request created it; this one signs in with it.
      if (target.includes("subject") || target.includes("sso_identities")) return signInIdentity(settings, claims, redirectTo);
      // The e-mail was taken meanwhile: that account must confirm the link like any other.
      if (target.includes("email")) return signInIdentity(settings, claims, redirectTo);
      // A handle taken meanwhile: try the next one.
    }
  }
  throw new Error("could not find a free handle for a single sign-on account");
}

/** Applies the mapped role claim to a linked account (demotion ends its other sessions at once). */
async function followRoleClaim(tx: Tx, settings: SsoSettings, claims: Claims, user: { id: string; role: Role }): Promise<void> {
  const role = roleFromClaims(claims, settings.roleClaim, settings.roleMap, user.role);
  if (!role || role === user.role) return;
  await tx.user.update({ where: { id: user.id }, data: { role } });
  await endAllSessions(tx, user.id);
  await auditRoleFromClaim(tx, settings, user.id, user.role, role);
}

async function auditRoleFromClaim(tx: Tx, settings: SsoSettings, userId: string, from: Role, to: Role): Promise<void> {
  await recordEvent(tx, { type: "user.role_changed", actorId: null, subjectType: "user", subjectId: userId, payload: { from, to } });
  await recordAudit(tx, {
    actor: null,
    action: "user.role_changed",
    targetType: "user",
    targetId: userId,
    reason: `single sign-on claim "${settings.roleClaim}"`,
    before: { role: from },
    after: { role: to },
  });
}
