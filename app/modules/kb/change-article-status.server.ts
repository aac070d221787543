import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, notFound, ok, type Result } from "~/utils/http.server.ts";
import { canManageArticles } from "./kb.policy.ts";

type StatusResult = Result<{ status: "published" | "archived"; changed: boolean }>;

/**
 * Publishes a draft or archived article: from now on everyone can read it. Rules: staff,
 * moderators and admins only; the first publication time is kept when an article is published
 * again. Publishing a published article changes nothing and records nothing.
 * Event: article.published.
 */
export async function publishArticle(actorId: string, articleId: bigint): Promise<StatusResult> {
  return setStatus(actorId, articleId, "published");
}

/**
 * Archives an article: it leaves the knowledge base (visitors get 404) but keeps its history and
 * links, and can be published again. Rules as for publishing. Event: article.archived.
 * Audit: kb.article_published / kb.article_unpublished (from, to), not when nothing changes.
 */
export async function archiveArticle(actorId: string, articleId: bigint): Promise<StatusResult> {
  return setStatus(actorId, articleId, "archived");
}

async function setStatus(actorId: string, articleId: bigint, status: "published" | "archived"): Promise<StatusResult> {
  const member = await loadMember(actorId);
  if (!canManageArticles(member)) return forbidden("messages.kb.statusForbidden");
  return prisma.$transaction(async (tx): Promise<StatusResult> => {
    const [row] = await tx.$queryRaw<{ status: "draft" | "published" | "archived" }[]>`SELECT status::text AS status FROM articles WHERE id = ${articleId} FOR NO KEY UPDATE`;
    if (!row) return notFound("messages.common.noSuchArticle");
    if (row.status === status) return ok({ status, changed: false });
    const now = new Date();
    if (status === "published") {
      await tx.$executeRaw`UPDATE articles SET status = 'published', published_at = COALESCE(published_at, ${now}), archived_at = NULL, updated_at = ${now} WHERE id = ${articleId}`;
    } else {
      await tx.$executeRaw`UPDATE articles SET status = 'archived', archived_at = ${now}, updated_at = ${now} WHERE id = ${articleId}`;
    }
    await recordEvent(tx, { type: status === "published" ? "article.published" : "article.archived", actorId, subjectType: "article", subjectId: articleId.toString(), payload: { from: row.status } });
    await recordAudit(tx, { actor: { id: actorId }, action: status === "published" ? "kb.article_published" : "kb.article_unpublished", targetType: "article", targetId: articleId, before: { status: row.status }, after: { status } });
    return ok({ status, changed: true });
  });
}
