import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { canManageArticles, canOwnArticles } from "./kb.policy.ts";
import { OwnerSchema } from "./kb.schema.ts";

/**
 * Makes a staff member or moderator the owner of an article: the person who keeps it correct and
 * sees it in /kb/review when its review-by date passes or readers find it unhelpful. Rules: staff,
 * moderators and admins assign; the new owner must be an active staff member, moderator or admin.
 * Event: article.owner_assigned (not when the owner stays the same). Audit: kb.owner_assigned.
 */
export async function assignArticleOwner(actorId: string, articleId: bigint, input: unknown): Promise<Result<{ ownerId: string; changed: boolean }>> {
  const member = await loadMember(actorId);
  if (!canManageArticles(member)) return forbidden("messages.kb.ownerForbidden");
  const parsed = OwnerSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const owner = await prisma.user.findUnique({ where: { id: parsed.data.ownerId }, select: { id: true, role: true, status: true } });
  if (!owner || !canOwnArticles(owner)) return invalid({ ownerId: ["messages.kb.ownerRole"] });
  return prisma.$transaction(async (tx): Promise<Result<{ ownerId: string; changed: boolean }>> => {
    const [row] = await tx.$queryRaw<{ owner_id: string }[]>`SELECT owner_id FROM articles WHERE id = ${articleId} FOR NO KEY UPDATE`;
    if (!row) return notFound("messages.common.noSuchArticle");
    if (row.owner_id === owner.id) return ok({ ownerId: owner.id, changed: false });
    await tx.article.update({ where: { id: articleId }, data: { ownerId: owner.id, updatedAt: new Date() } });
    await recordEvent(tx, { type: "article.owner_assigned", actorId, subjectType: "article", subjectId: articleId.toString(), payload: { from: row.owner_id, to: owner.id } });
    await recordAudit(tx, { actor: { id: actorId }, action: "kb.owner_assigned", targetType: "article", targetId: articleId, before: { ownerId: row.owner_id }, after: { ownerId: owner.id } });
    return ok({ ownerId: owner.id, changed: true });
  });
}
