import type { Tx } from "~/utils/db.server.ts";
import { requestClientIp } from "~/utils/request-scope.server.ts";
import { AUDIT_ACTIONS, type AuditAction, type AuditTarget } from "./audit-actions.ts";

/** A JSON-able snapshot of the fields an action changed (bigints and dates are written as strings). */
export type AuditSnapshot = Record<string, unknown> | null;

export type NewAuditEntry<A extends AuditAction = AuditAction> = {
  /** The acting user, or null for the system (a suspension ending by itself). */
  actor: { id: string; handle?: string | null } | null;
  action: A;
  targetType: AuditTarget<A>;
  targetId: string | bigint | number;
  reason?: string;
  before?: AuditSnapshot;
  after?: AuditSnapshot;
};

function toJson(value: AuditSnapshot | undefined): string | null {
  if (value == null) return null;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/**
 * Writes one audit row in the caller's transaction (issue 19, ADR 044), so the action and its trace commit
 * or roll back together: a failed action leaves no row, and no action is left without one. The client
 * address comes from the request scope the HTTP server made (never from a header read here); outside a
 * request it is null. The table is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE).
 */
export async function recordAudit<A extends AuditAction>(tx: Tx, entry: NewAuditEntry<A>): Promise<bigint> {
  if (AUDIT_ACTIONS[entry.action] !== entry.targetType) {
    throw new Error(`audit action ${entry.action}: target must be a ${AUDIT_ACTIONS[entry.action]}, not ${entry.targetType}`);
  }
  let handle = entry.actor?.handle ?? null;
  if (entry.actor && handle == null) {
    const row = await tx.user.findUnique({ where: { id: entry.actor.id }, select: { handle: true } });
    handle = row?.handle ?? null;
  }
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO audit_log (actor_id, actor_handle, action, target_type, target_id, reason, before, after, ip_address)
    VALUES (${entry.actor?.id ?? null}, ${handle}, ${entry.action}, ${entry.targetType}, ${String(entry.targetId)},
            ${entry.reason ?? ""}, ${toJson(entry.before)}::jsonb, ${toJson(entry.after)}::jsonb, ${requestClientIp()})
    RETURNING id`;
  return row!.id;
}
