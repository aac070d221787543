/** The roles, lowest first. Expert status is earned (capability 5) and is not a role. */
export const ROLES = ["member", "moderator", "staff", "admin"] as const;
export type Role = (typeof ROLES)[number];

/**
 * The signed-in user as policies see it. "silenced" (issue 19) is an active account under a silence:
 * signed in, read-only; every policy that asks for "active" refuses it.
 */
export type Actor = { id: string; role: Role; status: "active" | "suspended" | "silenced" };
