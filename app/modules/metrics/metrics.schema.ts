import { z } from "zod";
import { msg } from "~/utils/messages.ts";

/** Range presets (days ending today, UTC) and the longest custom range. */
export const PRESETS = ["7", "30", "90", "custom"] as const;
export type Preset = (typeof PRESETS)[number];
export const MAX_RANGE_DAYS = 731;
/** Longer ranges chart weekly totals instead of daily ones. */
export const DAILY_BUCKET_MAX_DAYS = 92;

/** The tables of the page that can be downloaded as CSV. */
export const EXPORTS = [
  "daily",
  "unanswered",
  "zero-results",
  "articles",
  "experts",
  "topics",
  // Escalation (issue 20): app/modules/support/support-metrics.server.ts
  "escalation-rate",
  "tickets-by-source",
  "ticket-times",
  "verified-resolution",
  "journey-deflection",
] as const;
export type ExportName = (typeof EXPORTS)[number];

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "messages.metrics.day")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "messages.metrics.realDate");

/** The dashboard's query string (all fields optional; `range` defaults to the last 30 days). */
export const DashboardQuerySchema = z.object({
  range: z.enum(PRESETS, { errorMap: () => ({ message: "messages.metrics.range" }) }).default("30"),
  from: isoDay.optional(),
  to: isoDay.optional(),
  category: z
    .string()
    .max(100)
    .regex(/^[a-z0-9-]*$/, "messages.common.unknownCategory")
    .optional()
    .transform((s) => (s && s !== "all" ? s : null)),
});
export type DashboardQuery = z.input<typeof DashboardQuerySchema>;

export type DayRange = { from: string; to: string; days: number; previousFrom: string; previousTo: string; bucket: "day" | "week" };

export function shiftDay(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * The UTC day range a query asks for, and the previous period of the same length, or the field
 * errors that explain why it cannot be shown (end before start, longer than two years).
 */
export function resolveRange(query: { range: Preset; from?: string; to?: string }, today: string): { ok: true; value: DayRange } | { ok: false; fieldErrors: Record<string, string[]> } {
  let from: string;
  let to: string;
  if (query.range === "custom") {
    const errors: Record<string, string[]> = {};
    if (!query.from) errors.from = ["messages.metrics.from"];
    if (!query.to) errors.to = ["messages.metrics.to"];
    if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
    from = query.from!;
    to = query.to!;
    if (to < from) return { ok: false, fieldErrors: { to: ["messages.metrics.order"] } };
    if (daysBetween(from, to) > MAX_RANGE_DAYS) return { ok: false, fieldErrors: { to: [msg("messages.metrics.rangeTooLong", { count: MAX_RANGE_DAYS })] } };
  } else {
    to = today;
    from = shiftDay(today, 1 - Number(query.range));
  }
  const days = daysBetween(from, to);
  return {
    ok: true,
    value: { from, to, days, previousFrom: shiftDay(from, -days), previousTo: shiftDay(from, -1), bucket: days > DAILY_BUCKET_MAX_DAYS ? "week" : "day" },
  };
}
