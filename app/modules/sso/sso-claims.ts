import { ROLES, type Role } from "~/modules/users/roles.ts";

/** Handles are 3–30 of [a-z0-9_-] (users.schema.ts); a derived one leaves room for a "-2" suffix. */
const HANDLE_BASE_MAX = 24;

/**
 * A handle made from the provider's claims: preferred_username, else the e-mail's local part, else
 * the name. Accents are dropped (Ștefan → stefan); what has no Latin form (王小明) gives nothing, and
 * then the fallback "member" is used. Uniqueness is the caller's job (a suffix on conflict).
 */
export function handleBaseFromClaims(claims: Record<string, unknown>): string {
  const candidates = [claims.preferred_username, typeof claims.email === "string" ? claims.email.split("@")[0] : undefined, claims.name];
  for (const candidate of candidates) {
    if (typeof candidate !== "string") continue;
    const handle = candidate
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, "-")
      .replace(/-{2,}/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "")
      .slice(0, HANDLE_BASE_MAX)
      .replace(/[-_]+$/g, "");
    if (handle.length >= 3) return handle;
  }
  return "member";
}

/** A display name from the claims: any script is fine; controls and format characters go, at most 60 characters. */
export function displayNameFromClaims(claims: Record<string, unknown>, fallback: string): string {
  for (const candidate of [claims.name, claims.preferred_username, typeof claims.email === "string" ? claims.email.split("@")[0] : undefined]) {
    if (typeof candidate !== "string") continue;
    const clean = [...candidate.normalize("NFC").replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "").replace(/\s+/gu, " ").trim()].slice(0, 60).join("").trim();
    if (clean) return clean;
  }
  return fallback;
}

/**
 * The role a claim gives, when the admin has mapped one (OIDC_ROLE_CLAIM, OIDC_ROLE_MAP): the highest
 * role among the claim's values (a string or a list), or member when none is mapped. Returns null when
 * no claim is mapped, or when the account's current role is one the map does not manage (an admin
 * stays an admin unless "…=admin" is in the map): roles then stay as they are. Admin is never given
 * unless the map names it.
 */
export function roleFromClaims(claims: Record<string, unknown>, roleClaim: string | null, roleMap: Map<string, Role>, currentRole: Role | null): Role | null {
  if (!roleClaim || roleMap.size === 0) return null;
  const managed = new Set<Role>(["member", ...roleMap.values()]);
  if (currentRole && !managed.has(currentRole)) return null;
  const raw = claims[roleClaim];
  const values = Array.isArray(raw) ? raw : [raw];
  let best: Role = "member";
  for (const value of values) {
    if (typeof value !== "string") continue;
    const role = roleMap.get(value);
    if (role && ROLES.indexOf(role) > ROLES.indexOf(best)) best = role;
  }
  return best;
}
