import { z } from "zod";
import { boundedString } from "~/modules/content/text-limits.ts";
import { DELIVERIES, SETTING_GROUPS, type SettingGroup } from "./notification-kinds.ts";

/** Notification ids in a form: "12" or "12,13,14" (a grouped line), at most 100; up to 18 digits, so always a bigint (as IdParam). */
export const NotificationIdsSchema = z.object({
  ids: boundedString(2_100, "messages.notifications.choose", { required_error: "messages.notifications.choose" }).pipe(
    z
      .string()
      .trim()
      .regex(/^[1-9]\d{0,17}(,[1-9]\d{0,17}){0,99}$/, "messages.notifications.choose")
      .transform((v) => [...new Set(v.split(","))].map((id) => BigInt(id))),
  ),
});

const delivery = z.enum(DELIVERIES, { errorMap: () => ({ message: "messages.notifications.delivery" }) });

/** The settings form: one delivery per setting group, every group present. */
export const NotificationSettingsSchema = z.object(
  Object.fromEntries(SETTING_GROUPS.map((group) => [group, delivery])) as Record<SettingGroup, typeof delivery>,
);
export type NotificationSettingsInput = z.infer<typeof NotificationSettingsSchema>;

export const WATCH_TARGETS = ["thread", "tag", "category"] as const;
export type WatchTarget = (typeof WATCH_TARGETS)[number];

/** Watch / Stop watching a thread, tag or category (by id). */
export const WatchSchema = z.object({
  targetType: z.enum(WATCH_TARGETS, { errorMap: () => ({ message: "messages.notifications.targetType" }) }),
  targetId: boundedString(40, "messages.notifications.target", { required_error: "messages.notifications.target" }).pipe(
    z
      .string()
      .regex(/^[1-9]\d{0,17}$/, "messages.notifications.target")
      .transform((v) => BigInt(v)),
  ),
  watching: z.enum(["true", "false"], { errorMap: () => ({ message: "messages.notifications.watching" }) }).transform((v) => v === "true"),
});
