import { z } from "zod";
import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { canAdministerUsers } from "~/modules/users/users.policy.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { forbidden, invalid, ok, type Result } from "~/utils/http.server.ts";
import { SITE_SETTINGS, type SiteSettings } from "./site-settings.ts";

/** The settings as stored, each falling back to its default (SITE_SETTINGS). */
export async function getSiteSettings(db: Tx | typeof prisma = prisma): Promise<SiteSettings> {
  const rows = await db.siteSetting.findMany({ select: { key: true, value: true } });
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  return { approveFirstPosts: typeof stored.approveFirstPosts === "boolean" ? stored.approveFirstPosts : SITE_SETTINGS.approveFirstPosts };
}

/** A checkbox as a form posts it: present ("on") or absent. */
const Checkbox = z.enum(["on", "true", "false"]).optional().transform((v) => v === "on" || v === "true");
const SettingsSchema = z.object({ approveFirstPosts: Checkbox });

/**
 * An admin changes the site settings (issue 19). Each changed key is written and audited as
 * settings.updated (before and after) in one transaction; unchanged keys write nothing.
 */
export async function updateSiteSettings(actor: Actor, input: unknown): Promise<Result<{ changed: string[] }>> {
  if (!canAdministerUsers(actor)) return forbidden("messages.settings.forbidden");
  const parsed = SettingsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  return prisma.$transaction(async (tx) => {
    // One admin at a time: the settings rows are read and written under a transaction-scoped lock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('site_settings'))`;
    const current = await getSiteSettings(tx);
    const changed: string[] = [];
    for (const [key, value] of Object.entries(parsed.data) as [keyof SiteSettings, boolean][]) {
      if (current[key] === value) continue;
      await tx.siteSetting.upsert({ where: { key }, create: { key, value, updatedById: actor.id }, update: { value, updatedAt: new Date(), updatedById: actor.id } });
      await recordAudit(tx, { actor: { id: actor.id }, action: "settings.updated", targetType: "site", targetId: key, before: { [key]: current[key] }, after: { [key]: value } });
      changed.push(key);
    }
    return ok({ changed });
  });
}
