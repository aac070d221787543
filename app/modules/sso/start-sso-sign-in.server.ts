import * as oidc from "openid-client";
import { getEnv } from "~/utils/env.server.ts";
import { notFound, ok, type Result } from "~/utils/http.server.ts";
import { safeRedirect } from "~/utils/safe-redirect.ts";
import { providerConfiguration, ssoSettings } from "./sso-config.server.ts";
import { SSO_FLOW_SECONDS, writeFlow } from "./sso-cookies.server.ts";

/** Where the provider sends the browser back: on APP_URL when set (behind a proxy), else on this request's origin. */
export function ssoCallbackUrl(request: Request): string {
  return new URL("/auth/oidc/callback", getEnv().APP_URL ?? new URL(request.url).origin).href;
}

/**
 * Starts a sign-in at the provider: an authorization code request with PKCE (S256), a fresh `state`
 * and `nonce`, all three kept in a signed, httpOnly cookie of this browser for ten minutes (ADR 065).
 * Writes nothing to the database. `redirectTo` goes through safeRedirect (ADR 028) now and again on return.
 */
export async function startSsoSignIn(request: Request, redirectTo: string | null): Promise<Result<{ url: string; cookie: string }>> {
  const settings = ssoSettings();
  if (!settings) return notFound("messages.sso.notSetUp");
  const config = await providerConfiguration(settings);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: ssoCallbackUrl(request),
    scope: settings.scopes,
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  const cookie = await writeFlow({ state, nonce, verifier, redirectTo: safeRedirect(redirectTo), issuer: settings.issuer, expires: Date.now() + SSO_FLOW_SECONDS * 1000 });
  return ok({ url: url.href, cookie });
}
