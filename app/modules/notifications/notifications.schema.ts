import { z } from "zod";
import { boundedString } from "~/modules/content/text-limits.ts";
import { DELIVERIES, SETTING_GROUPS, type SettingGroup } from "./notification-kinds.ts";

/** Notification ids in a form: "12" or "12,13,14" (a grouped line), at most 100; up to 18 digits, so always a bigint (as IdParam). */
export const NotificationIdsSchema = z.object({
  ids: boundedString(2_100, "Choose a notification", { required_error: "Choose a notification" }).pipe(
    z
      .string()
      .trim()
      .regex(/^[1-9]\d{0,17}(,[1-9]\d{0,17}){0,99}$/, "Choose a notification")
      .transform((v) => [...new Set(v.split(","))].map((id) => BigInt(id))),
  ),
});

const delivery = z.enum(DELIVERIES, { errorMap: () => ({ message: "Choose in-app only, at once, daily or weekly" }) });

/** The settings form: one delivery per setting group, every group present. */
export const NotificationSettingsSchema = z.object(
  Object.fromEntries(SETTING_GROUPS.map((group) => [group, delivery])) as Record<SettingGroup, typeof delivery>,
);
export type NotificationSettingsInput = z.infer<typeof NotificationSettingsSchema>;

export const WATCH_TARGETS = ["thread", "tag", "category"] as const;
export type WatchTarget = (typeof WATCH_TARGETS)[number];

/** Watch / Stop watching a thread, tag or category (by id). */
export const WatchSchema = z.object({
  targetType: z.enum(WATCH_TARGETS, { errorMap: () => ({ message: "Choose a thread, tag or category" }) }),
  targetId: boundedString(40, "Choose what to watch", { required_error: "Choose what to watch" }).pipe(
    z
      .string()
      .regex(/^[1-9]\d{0,17}$/, "Choose what to watch")
      .transform((v) => BigInt(v)),
  ),
  watching: z.enum(["true", "false"], { errorMap: () => ({ message: "Choose watch or stop watching" }) }).transform((v) => v === "true"),
});
