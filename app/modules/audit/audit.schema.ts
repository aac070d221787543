import { z } from "zod";
import { AUDIT_ACTIONS, type AuditAction } from "./audit-actions.ts";

/** The audit log's filters and cursor (issue 19, ADR 050): one schema for the page, its CSV and tests. */
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];
export const AUDIT_TARGET_TYPES = [...new Set(Object.values(AUDIT_ACTIONS))] as [string, ...string[]];

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
function isRealDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
const Day = z.string().max(10, "messages.audit.day").refine(isRealDay, "messages.audit.day");

/** A position in the list, newest first: the last row's time (epoch milliseconds) and id. */
const Cursor = z
  .string()
  .max(40, "messages.audit.cursor")
  .regex(/^\d{1,15}-\d{1,18}$/, "messages.audit.cursor")
  .transform((value) => {
    const [ms, id] = value.split("-");
    return { at: new Date(Number(ms)), id: BigInt(id!) };
  });

export const AuditFilterSchema = z
  .object({
    actor: z
      .string()
      .trim()
      .max(31, "messages.audit.handleLong")
      .regex(/^@?[a-zA-Z0-9_-]+$/, "messages.audit.handleChars")
      .transform((value) => value.replace(/^@/, ""))
      .optional(),
    action: z.enum(AUDIT_ACTION_NAMES, { errorMap: () => ({ message: "messages.audit.action" }) }).optional(),
    targetType: z.enum(AUDIT_TARGET_TYPES, { errorMap: () => ({ message: "messages.audit.targetType" }) }).optional(),
    targetId: z.string().trim().max(64, "messages.audit.targetLong").regex(/^[A-Za-z0-9_-]+$/, "messages.audit.targetChars").optional(),
    from: Day.optional(),
    to: Day.optional(),
    after: Cursor.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], message: "messages.common.endBeforeStart" });

export type AuditFilter = z.infer<typeof AuditFilterSchema>;

/** Query-string parameters to filter input: empty fields mean "any". */
export function auditFilterInput(params: URLSearchParams): Record<string, string> {
  const input: Record<string, string> = {};
  for (const key of ["actor", "action", "targetType", "targetId", "from", "to", "after"]) {
    const value = params.get(key);
    if (value !== null && value.trim() !== "") input[key] = value;
  }
  return input;
}

export function cursorOf(entry: { createdAt: Date; id: bigint }): string {
  return `${entry.createdAt.getTime()}-${entry.id}`;
}
