import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { canManageCategories } from "~/modules/questions/questions.policy.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { RoutingDelaysSchema } from "./support.schema.ts";

/**
 * An admin sets a category's two routing delays (issue 20, ADR 058): hours before an unanswered
 * question is offered to the category's experts (default 12), and hours more before it becomes a
 * ticket (default 24), each a whole number from 1 to 720 (a CHECK constraint holds the same bounds).
 * Audited as category.routing_changed in the same transaction.
 */
export async function setRoutingDelays(actor: Actor, categoryId: number, input: unknown): Promise<Result<{ expertOfferHours: number; escalateAfterHours: number }>> {
  const parsed = RoutingDelaysSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  if (!canManageCategories(actor)) return forbidden("messages.support.routingForbidden");
  if (!Number.isSafeInteger(categoryId) || categoryId < 1) return notFound("messages.common.noSuchCategory");
  return prisma.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ expert_offer_hours: number; escalate_after_hours: number }[]>`
      SELECT expert_offer_hours, escalate_after_hours FROM categories WHERE id = ${categoryId} FOR NO KEY UPDATE`;
    if (!before) return notFound("messages.common.noSuchCategory");
    await tx.category.update({ where: { id: categoryId }, data: parsed.data });
    await recordAudit(tx, {
      actor: { id: actor.id },
      action: "category.routing_changed",
      targetType: "category",
      targetId: categoryId,
      before: { expertOfferHours: before.expert_offer_hours, escalateAfterHours: before.escalate_after_hours },
      after: parsed.data,
    });
    return ok(parsed.data);
  });
}

/** Every category with its delays, for the admin page. */
export function listRoutingDelays() {
  return prisma.category.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true, name: true, expertOfferHours: true, escalateAfterHours: true } });
}
