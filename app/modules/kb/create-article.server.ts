import { recordEvent } from "~/modules/events/record-event.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { prepareBody } from "~/modules/questions/post-body.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { freeSlug, reviewDate, setArticleTags } from "./article-write.server.ts";
import { canManageArticles } from "./kb.policy.ts";
import { ARTICLE_MIN_CHARS, ArticleSchema } from "./kb.schema.ts";

/**
 * Writes a new draft article. Rules: staff, moderators and admins only; a title of 15-150
 * characters, an existing category that is not archived, 1-5 tags, a rich-text body of at least 30
 * characters (same validation and sanitizer as posts), an optional review-by date (default: 180
 * days ahead). The author becomes the owner. Article, revision 1, tags and event in one transaction;
 * a repeat of the same form submission writes nothing and gets the first answer (ADR 030).
 * Event: article.created.
 */
export async function createArticle(actorId: string, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ articleId: bigint }>> {
  const again = await earlierAnswer<{ articleId: bigint }>(submission);
  if (again) return again;
  const member = await loadMember(actorId);
  if (!canManageArticles(member)) return forbidden("messages.kb.createForbidden");
  const parsed = ArticleSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const body = prepareBody(parsed.data, ARTICLE_MIN_CHARS);
  if (!body.ok) return invalid({ body: [body.message] });
  const category = await prisma.category.findUnique({ where: { id: parsed.data.categoryId }, select: { id: true, archivedAt: true } });
  if (!category || category.archivedAt) return invalid({ categoryId: ["messages.common.chooseCategory"] });

  return prisma.$transaction((tx) => submitOnce(tx, submission, async () => {
    const slug = await freeSlug(tx, category.id, parsed.data.title);
    const article = await tx.article.create({
      data: {
        categoryId: category.id, slug, title: parsed.data.title, bodyJson: body.value.json, bodyHtml: body.value.html, bodyText: body.value.text,
        ownerId: actorId, authorId: actorId, reviewBy: reviewDate(parsed.data.reviewBy),
      },
      select: { id: true },
    });
    await tx.articleRevision.create({ data: { articleId: article.id, revision: 1, editorId: actorId, title: parsed.data.title, bodyJson: body.value.json, bodyText: body.value.text, reason: parsed.data.reason } });
    await setArticleTags(tx, article.id, parsed.data.tags);
    await recordEvent(tx, { type: "article.created", actorId, subjectType: "article", subjectId: article.id.toString(), payload: { categoryId: category.id, promotedFrom: [] } });
    return ok({ articleId: article.id });
  }));
}
