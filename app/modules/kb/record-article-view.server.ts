import { recordEvent } from "~/modules/events/record-event.server.ts";
import type { PageView, Visitor } from "~/modules/questions/record-view.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { notFound, ok, type Result } from "~/utils/http.server.ts";
import { visitorKeyOf } from "./give-feedback.server.ts";

/**
 * Counts a view of a published article once per visitor per article per UTC day, with the same
 * visitor key as thread views (`u:<user id>` or `a:<tw_vid>`), for the dashboard and for the
 * customer journey an escalation shows. Called from the page's beacon after it is shown, like
 * recordView for threads, and like it returns the row's random view id for the time-on-page beacon
 * (ADR 072) without an extra statement. Event: article.viewed (only for a counted view).
 */
export async function recordArticleView(articleId: bigint, visitor: Visitor): Promise<Result<PageView>> {
  const visitorKey = visitorKeyOf(visitor);
  if (!visitorKey) return ok({ counted: false, viewId: null });
  return prisma.$transaction(async (tx): Promise<Result<PageView>> => {
    const [inserted] = await tx.$queryRaw<{ view_id: string }[]>`
      INSERT INTO article_views (article_id, visitor_key, day, user_id, viewed_at, view_id)
      SELECT ${articleId}, ${visitorKey}, (now() AT TIME ZONE 'UTC')::date, ${visitor.userId}, now(), gen_random_uuid()
      WHERE EXISTS (SELECT 1 FROM articles WHERE id = ${articleId} AND status = 'published')
      ON CONFLICT DO NOTHING
      RETURNING view_id::text`;
    if (!inserted) {
      const [day] = await tx.$queryRaw<{ live: boolean; view_id: string | null }[]>`
        SELECT EXISTS (SELECT 1 FROM articles WHERE id = ${articleId} AND status = 'published') AS live,
          (SELECT view_id::text FROM article_views WHERE article_id = ${articleId} AND visitor_key = ${visitorKey}
             AND day = (now() AT TIME ZONE 'UTC')::date AND visible_seconds IS NULL) AS view_id`;
      return day?.live ? ok({ counted: false, viewId: day.view_id }) : notFound("messages.common.noSuchArticle");
    }
    await tx.$executeRaw`UPDATE articles SET view_count = view_count + 1 WHERE id = ${articleId}`;
    await recordEvent(tx, { type: "article.viewed", actorId: visitor.userId, subjectType: "article", subjectId: articleId.toString(), payload: { visitor: visitorKey } });
    return ok({ counted: true, viewId: inserted.view_id });
  });
}
