import { Prisma } from "~/generated/prisma/client.ts";

/** A member's status as every reader sees it: policies, the session lookup, the admin list. */
export type MemberStatus = "active" | "silenced" | "suspended";

/**
 * The one rule that decides a member's status (issue 19, ADR 047, 068), derived from the end times so it
 * is right the moment an end passes, for every reader, with no write needed: a suspension holds while its
 * end (`suspended_until`, none: indefinitely) is ahead; an active account under a running silence is
 * "silenced" (read-only), so every policy that asks for "active" refuses its writes. The stored
 * `status = suspended` of an ended suspension is cleared later by the `lift-ended-suspensions` job (or
 * the member's next sign-in), which writes the audit row; until then, this is what counts.
 * `MEMBER_STATUS_SQL` (over `users`, unqualified columns; `memberStatusSql(alias)` in a join) and `memberStatus` are the same rule, for SQL
 * readers and for rows read through Prisma; member-status.server.test.ts checks they agree.
 */
export function memberStatusSql(table?: string): Prisma.Sql {
  const c = (column: string) => (table ? `${table}.${column}` : column);
  return Prisma.raw(
    `(CASE WHEN ${c("status")} = 'suspended' AND (${c("suspended_until")} IS NULL OR ${c("suspended_until")} > now()) THEN 'suspended'` +
      ` WHEN ${c("silenced_at")} IS NOT NULL AND (${c("silenced_until")} IS NULL OR ${c("silenced_until")} > now()) THEN 'silenced' ELSE 'active' END)`,
  );
}

export const MEMBER_STATUS_SQL = memberStatusSql();

type StatusColumns = { status: string; suspendedUntil: Date | null; silencedAt: Date | null; silencedUntil: Date | null };

export function memberStatus(user: StatusColumns, now = new Date()): MemberStatus {
  if (suspensionHolds(user, now)) return "suspended";
  if (user.silencedAt !== null && (user.silencedUntil === null || user.silencedUntil > now)) return "silenced";
  return "active";
}

/** Whether a stored suspension still holds at `now` (no end date: indefinitely). */
export function suspensionHolds(user: Pick<StatusColumns, "status" | "suspendedUntil">, now = new Date()): boolean {
  return user.status === "suspended" && (user.suspendedUntil === null || user.suspendedUntil > now);
}
