import { recordEvent } from "~/modules/events/record-event.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { prepareBody } from "~/modules/questions/post-body.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { freeSlug, reviewDate, setArticleTags } from "./article-write.server.ts";
import { canManageArticles } from "./kb.policy.ts";
import { ARTICLE_MIN_CHARS, ArticleSchema } from "./kb.schema.ts";

/**
 * Edits an article (title, category, tags, body, review-by date). Rules: staff, moderators and
 * admins only; every edit appends the next revision (never rewrites one) with the editor, the time
 * and an optional reason. The article row is locked so two edits get consecutive numbers. A
 * retitled or moved article gets a new address (its title's slug); the old one answers 301 to it
 * (the articles trigger keeps it in article_old_addresses, ADR 053). A repeat of the same form submission appends nothing and gets the first answer (ADR 030).
 * Event: article.edited.
 */
export async function editArticle(actorId: string, articleId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ articleId: bigint; revision: number }>> {
  const again = await earlierAnswer<{ articleId: bigint; revision: number }>(submission);
  if (again) return again;
  const member = await loadMember(actorId);
  if (!canManageArticles(member)) return forbidden("messages.kb.editForbidden");
  const parsed = ArticleSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const body = prepareBody(parsed.data, ARTICLE_MIN_CHARS);
  if (!body.ok) return invalid({ body: [body.message] });
  const category = await prisma.category.findUnique({ where: { id: parsed.data.categoryId }, select: { id: true, archivedAt: true } });
  if (!category || category.archivedAt) return invalid({ categoryId: ["messages.common.chooseCategory"] });

  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<{ articleId: bigint; revision: number }>> => {
    const [locked] = await tx.$queryRaw<{ revision_count: number; status: string; category_id: number; slug: string; title: string }[]>`
      SELECT revision_count, status::text AS status, category_id, slug, title FROM articles WHERE id = ${articleId} FOR NO KEY UPDATE`;
    if (!locked) return notFound("messages.common.noSuchArticle");
    const next = locked.revision_count + 1;
    const moved = locked.category_id !== category.id;
    const retitled = locked.title !== parsed.data.title;
    const slug = moved || retitled ? await freeSlug(tx, category.id, parsed.data.title, articleId) : locked.slug;
    await tx.articleRevision.create({ data: { articleId, revision: next, editorId: actorId, title: parsed.data.title, bodyJson: body.value.json, bodyText: body.value.text, reason: parsed.data.reason } });
    await tx.article.update({
      where: { id: articleId },
      data: {
        title: parsed.data.title, categoryId: category.id, slug, bodyJson: body.value.json, bodyHtml: body.value.html, bodyText: body.value.text,
        revisionCount: next, updatedAt: new Date(), ...(parsed.data.reviewBy ? { reviewBy: reviewDate(parsed.data.reviewBy) } : {}),
      },
    });
    await setArticleTags(tx, articleId, parsed.data.tags);
    await recordEvent(tx, { type: "article.edited", actorId, subjectType: "article", subjectId: articleId.toString(), payload: { revision: next } });
    return ok({ articleId, revision: next });
  }));
}
