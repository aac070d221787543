import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { DEFAULT_DELIVERY, SETTING_GROUPS, type Delivery, type SettingGroup } from "./notification-kinds.ts";
import { canUseNotifications } from "./notifications.policy.ts";
import { NotificationSettingsSchema } from "./notifications.schema.ts";

export type NotificationSettings = Record<SettingGroup, Delivery>;

/** A member's delivery per setting group: their stored choices over the defaults. */
export async function getNotificationSettings(userId: string): Promise<NotificationSettings> {
  const rows = await prisma.$queryRaw<{ kind: string; delivery: Delivery }[]>`SELECT kind, delivery FROM notification_settings WHERE user_id = ${userId}`;
  const settings = { ...DEFAULT_DELIVERY };
  for (const row of rows) if ((SETTING_GROUPS as readonly string[]).includes(row.kind)) settings[row.kind as SettingGroup] = row.delivery;
  return settings;
}

/** Stores deliveries for the given groups of one member (one statement). */
export async function storeDeliveries(userId: string, choices: Partial<NotificationSettings>): Promise<void> {
  const rows = Object.entries(choices).map(([kind, delivery]) => Prisma.sql`(${userId}, ${kind}, ${delivery})`);
  if (rows.length === 0) return;
  await prisma.$executeRaw`
    INSERT INTO notification_settings (user_id, kind, delivery) VALUES ${Prisma.join(rows)}
    ON CONFLICT (user_id, kind) DO UPDATE SET delivery = EXCLUDED.delivery, updated_at = now()
    WHERE notification_settings.delivery IS DISTINCT FROM EXCLUDED.delivery`;
}

/**
 * Saves the member's own settings (`/account/notifications`): for every group one of in-app only,
 * at once, daily or weekly digest. Anything else is 400 with the message next to the field and
 * nothing is written. There is no user id in the input: a member can only change their own.
 */
export async function updateNotificationSettings(actor: Actor, input: unknown): Promise<Result<NotificationSettings>> {
  const parsed = NotificationSettingsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  if (!canUseNotifications(actor)) return notFound("messages.common.noSuchAccount");
  await storeDeliveries(actor.id, parsed.data);
  return ok(parsed.data);
}

/** The member's address when mail to it bounced (shown on the settings page), else null. */
export async function getBouncedAddress(userId: string): Promise<string | null> {
  const [row] = await prisma.$queryRaw<{ email: string }[]>`
    SELECT u.email FROM mail_bounces b JOIN users u ON u.id = b.user_id AND u.email_normalized = b.email WHERE b.user_id = ${userId}`;
  return row?.email ?? null;
}
