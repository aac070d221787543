import { recordEvent } from "~/modules/events/record-event.server.ts";
import type { Visitor } from "~/modules/questions/record-view.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { notFound, ok, type Result } from "~/utils/http.server.ts";
import { visitorKeyOf } from "./give-feedback.server.ts";

/**
 * Counts a view of a published article once per visitor per article per UTC day, with the same
 * visitor key as thread views (`u:<user id>` or `a:<tw_vid>`), for the dashboard and for the
 * customer journey an escalation shows. Called from the page's beacon after it is shown, like
 * recordView for threads. Event: article.viewed (only for a counted view).
 */
export async function recordArticleView(articleId: bigint, visitor: Visitor): Promise<Result<{ counted: boolean }>> {
  const visitorKey = visitorKeyOf(visitor);
  if (!visitorKey) return ok({ counted: false });
  return prisma.$transaction(async (tx): Promise<Result<{ counted: boolean }>> => {
    const inserted = await tx.$executeRaw`
      INSERT INTO article_views (article_id, visitor_key, day, user_id, viewed_at)
      SELECT ${articleId}, ${visitorKey}, (now() AT TIME ZONE 'UTC')::date, ${visitor.userId}, now()
      WHERE EXISTS (SELECT 1 FROM articles WHERE id = ${articleId} AND status = 'published')
      ON CONFLICT DO NOTHING`;
    if (inserted === 0) {
      const exists = await tx.article.count({ where: { id: articleId, status: "published" } });
      return exists ? ok({ counted: false }) : notFound("messages.common.noSuchArticle");
    }
    await tx.$executeRaw`UPDATE articles SET view_count = view_count + 1 WHERE id = ${articleId}`;
    await recordEvent(tx, { type: "article.viewed", actorId: visitor.userId, subjectType: "article", subjectId: articleId.toString(), payload: { visitor: visitorKey } });
    return ok({ counted: true });
  });
}
