import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { getEnv, secureCookies } from "~/utils/env.server.ts";

/** How long a sign-in at the provider, or a pending link, may take. */
export const SSO_FLOW_SECONDS = 10 * 60;

/**
 * What a browser carries between "Sign in with …" and the provider's answer: the PKCE verifier,
 * `state`, `nonce` and where to go afterwards. Signed with the session secret, httpOnly, SameSite=Lax
 * (the provider's redirect back is a top-level GET, which Lax lets through) and short-lived; only
 * the browser that started a sign-in can finish it.
 */
function flowCookie() {
  return createCookie("tw_oidc", {
    path: "/auth/oidc",
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    secrets: [getEnv().SESSION_SECRET],
    maxAge: SSO_FLOW_SECONDS,
  });
}

/**
 * A provider account whose e-mail matched a local account: it links only after that account's
 * password is given (ADR 065). Same properties as the flow cookie.
 */
function pendingLinkCookie() {
  return createCookie("tw_sso_link", {
    path: "/auth/oidc",
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(),
    secrets: [getEnv().SESSION_SECRET],
    maxAge: SSO_FLOW_SECONDS,
  });
}

const Flow = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), redirectTo: z.string(), issuer: z.string(), expires: z.number() });
export type SsoFlow = z.infer<typeof Flow>;

const PendingLink = z.object({ issuer: z.string(), subject: z.string(), userId: z.string(), email: z.string(), redirectTo: z.string(), expires: z.number() });
export type PendingLink = z.infer<typeof PendingLink>;

export async function writeFlow(flow: SsoFlow): Promise<string> {
  return flowCookie().serialize(flow);
}

/** The flow this browser started, or null (none, tampered with, or older than SSO_FLOW_SECONDS). */
export async function readFlow(request: Request): Promise<SsoFlow | null> {
  const parsed = Flow.safeParse(await flowCookie().parse(request.headers.get("Cookie")));
  return parsed.success && parsed.data.expires > Date.now() ? parsed.data : null;
}

export async function clearFlow(): Promise<string> {
  return flowCookie().serialize("", { maxAge: 0 });
}

export async function writePendingLink(link: PendingLink): Promise<string> {
  return pendingLinkCookie().serialize(link);
}

export async function readPendingLink(request: Request): Promise<PendingLink | null> {
  const parsed = PendingLink.safeParse(await pendingLinkCookie().parse(request.headers.get("Cookie")));
  return parsed.success && parsed.data.expires > Date.now() ? parsed.data : null;
}

export async function clearPendingLink(): Promise<string> {
  return pendingLinkCookie().serialize("", { maxAge: 0 });
}
