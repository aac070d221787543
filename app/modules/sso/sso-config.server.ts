import * as oidc from "openid-client";
import { z } from "zod";
import { ROLES, type Role } from "~/modules/users/roles.ts";
import { operatorErrorMap } from "~/utils/env.server.ts";

/**
 * Single sign-on settings, from the environment (ADR 065). Read on each call rather than with the
 * server's cached env, so one process (and the tests) can be pointed at a provider after it starts.
 *
 * - OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: the provider (all three, or SSO is off);
 * - OIDC_DISPLAY_NAME: shown as "Sign in with <name>";
 * - OIDC_ROLE_CLAIM + OIDC_ROLE_MAP ("claim value=role,…"): roles that follow a claim;
 * - SSO_ONLY=true: members sign in through the provider only (admins keep their passwords);
 * - OIDC_ALLOW_HTTP=true: accept a plain-http issuer (local development and the tests only).
 */
const RoleMapEntry = z.tuple([z.string().trim().min(1).max(200), z.enum(ROLES)]);

const schema = z.object({
  OIDC_ISSUER: z.string().url("OIDC_ISSUER must be the provider's issuer URL"),
  OIDC_CLIENT_ID: z.string().min(1).max(500),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000),
  OIDC_DISPLAY_NAME: z.string().trim().min(1).max(60).default("single sign-on"),
  OIDC_SCOPES: z.string().trim().default("openid email profile"),
  OIDC_ROLE_CLAIM: z.string().trim().min(1).max(200).optional(),
  OIDC_ROLE_MAP: z
    .string()
    .default("")
    .transform((text, ctx) => {
      const map = new Map<string, Role>();
      for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
        const eq = part.lastIndexOf("=");
        const entry = RoleMapEntry.safeParse([part.slice(0, eq), part.slice(eq + 1).trim()]);
        if (eq < 1 || !entry.success) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `OIDC_ROLE_MAP: "${part}" is not "claim value=role" with a role of ${ROLES.join(", ")}` });
          return z.NEVER;
        }
        map.set(entry.data[0], entry.data[1]);
      }
      return map;
    }),
  OIDC_ALLOW_HTTP: z.enum(["true", "false"]).default("false"),
});

export type SsoSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  displayName: string;
  scopes: string;
  roleClaim: string | null;
  roleMap: Map<string, Role>;
  allowHttp: boolean;
};

/** The provider's settings, or null when single sign-on is not configured. A half-configured provider is an error. */
export function ssoSettings(env: NodeJS.ProcessEnv = process.env): SsoSettings | null {
  if (!env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) return null;
  const parsed = schema.safeParse(env, { errorMap: operatorErrorMap });
  if (!parsed.success) {
    throw new Error(`Invalid single sign-on settings:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  const e = parsed.data;
  return {
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    displayName: e.OIDC_DISPLAY_NAME,
    scopes: e.OIDC_SCOPES,
    roleClaim: e.OIDC_ROLE_CLAIM ?? null,
    roleMap: e.OIDC_ROLE_MAP,
    allowHttp: e.OIDC_ALLOW_HTTP === "true",
  };
}

/**
 * "SSO only": members cannot sign in with a password. Admins always can, so a broken provider
 * cannot lock the site's owners out (ADR 065). Only meaningful while a provider is configured.
 */
export function ssoOnly(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SSO_ONLY === "true" && ssoSettings(env) !== null;
}

const discovered = new Map<string, Promise<oidc.Configuration>>();

/**
 * The provider's configuration from its discovery document, fetched once per settings. ID tokens
 * are always checked by signature against the provider's keys (openid-client skips that for
 * tokens from the token endpoint unless non-repudiation checks are on), and by iss, aud and exp.
 */
export function providerConfiguration(settings: SsoSettings): Promise<oidc.Configuration> {
  const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret, settings.allowHttp]);
  let pending = discovered.get(key);
  if (!pending) {
    const execute = [oidc.enableNonRepudiationChecks, ...(settings.allowHttp ? [oidc.allowInsecureRequests] : [])];
    pending = oidc.discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, { execute, timeout: 10 });
    // A provider that was down is asked again next time.
    pending.catch(() => discovered.delete(key));
    discovered.set(key, pending);
  }
  return pending;
}
