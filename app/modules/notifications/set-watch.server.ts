import { prisma } from "~/utils/db.server.ts";
import { invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { canUseNotifications } from "./notifications.policy.ts";
import { WatchSchema, type WatchTarget } from "./notifications.schema.ts";

/** Whether the target exists and is visible (a hidden or deleted thread cannot be watched). */
async function targetExists(type: WatchTarget, id: bigint): Promise<boolean> {
  const [row] =
    type === "thread"
      ? await prisma.$queryRaw<{ ok: boolean }[]>`SELECT true AS ok FROM threads WHERE id = ${id} AND deleted_at IS NULL AND hidden_at IS NULL`
      : type === "tag"
        ? await prisma.$queryRaw<{ ok: boolean }[]>`SELECT true AS ok FROM tags WHERE id = ${Number(id)}`
        : await prisma.$queryRaw<{ ok: boolean }[]>`SELECT true AS ok FROM categories WHERE id = ${Number(id)}`;
  return !!row;
}

/**
 * "Watch" / "Stop watching" a thread, tag or category (ADR 041). Watching a thread brings its new
 * answers and comments, a tag or category its new questions. Stopping is stored as `muted`, so the
 * automatic watch of one's own question or answered thread does not come back. Tags and categories
 * are looked up by id; the target must exist (and a thread be visible), else not found.
 */
export async function setWatch(actor: Actor, input: unknown): Promise<Result<{ watching: boolean }>> {
  const parsed = WatchSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  if (!canUseNotifications(actor)) return notFound("messages.notifications.signIn");
  const { targetType, targetId, watching } = parsed.data;
  if (targetId > 9_223_372_036_854_775_807n || (targetType !== "thread" && targetId > 2_147_483_647n) || !(await targetExists(targetType, targetId))) {
    return notFound("messages.notifications.nothing");
  }
  const level = watching ? "watching" : "muted";
  await prisma.$executeRaw`
    INSERT INTO watches (user_id, target_type, target_id, level, reason) VALUES (${actor.id}, ${targetType}, ${targetId}, ${level}, 'manual')
    ON CONFLICT (target_type, target_id, user_id) DO UPDATE SET level = EXCLUDED.level, updated_at = now()`;
  return ok({ watching });
}
