import { recordEvent } from "~/modules/events/record-event.server.ts";
import type { Visitor } from "~/modules/questions/record-view.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { FeedbackSchema } from "./kb.schema.ts";

export type FeedbackResult = Result<{ helpful: boolean; changed: boolean; helpfulYes: number; helpfulNo: number }>;

/** The key feedback and views are counted under: the member, else the anonymous visitor cookie. */
export function visitorKeyOf(visitor: Visitor): string | null {
  return visitor.userId ? `u:${visitor.userId}` : visitor.anonId ? `a:${visitor.anonId}` : null;
}

/**
 * "Was this helpful?" on a published article: one answer per visitor (member or anonymous visitor
 * id) per article, which they can change; a comment is kept only with "no". The answer row is the
 * primary key (article, visitor); an advisory lock on that pair serialises a flood of submissions
 * from one visitor, so the yes/no counters move by the difference and a flood counts once.
 * Event: article.feedback_given (only when the answer or comment changed).
 */
export async function giveFeedback(articleId: bigint, visitor: Visitor, input: unknown): Promise<FeedbackResult> {
  const parsed = FeedbackSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const visitorKey = visitorKeyOf(visitor);
  if (!visitorKey) return invalid({}, ["messages.kb.cookie"]);
  const { helpful } = parsed.data;
  const comment = helpful ? "" : parsed.data.comment;
  return prisma.$transaction(async (tx): Promise<FeedbackResult> => {
    const article = await tx.article.findUnique({ where: { id: articleId }, select: { status: true } });
    if (!article || article.status !== "published") return notFound("messages.common.noSuchArticle");
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`kb-feedback:${articleId}:${visitorKey}`}, 0))`;
    const previous = await tx.articleFeedback.findUnique({ where: { articleId_visitorKey: { articleId, visitorKey } }, select: { helpful: true, comment: true } });
    const counters = async () => tx.article.findUniqueOrThrow({ where: { id: articleId }, select: { helpfulYes: true, helpfulNo: true } });
    if (previous && previous.helpful === helpful && previous.comment === comment) {
      return ok({ helpful, changed: false, ...(await counters()) });
    }
    const now = new Date();
    await tx.articleFeedback.upsert({
      where: { articleId_visitorKey: { articleId, visitorKey } },
      create: { articleId, visitorKey, userId: visitor.userId, helpful, comment },
      update: { helpful, comment, userId: visitor.userId, updatedAt: now },
    });
    const yes = (helpful ? 1 : 0) - (previous?.helpful === true ? 1 : 0);
    const no = (helpful ? 0 : 1) - (previous?.helpful === false ? 1 : 0);
    if (yes !== 0 || no !== 0) {
      await tx.$executeRaw`UPDATE articles SET helpful_yes = helpful_yes + ${yes}, helpful_no = helpful_no + ${no} WHERE id = ${articleId}`;
    }
    await recordEvent(tx, {
      type: "article.feedback_given",
      actorId: visitor.userId,
      subjectType: "article",
      subjectId: articleId.toString(),
      payload: { visitor: visitorKey, helpful, previous: previous ? previous.helpful : null, hasComment: comment !== "" },
    });
    return ok({ helpful, changed: true, ...(await counters()) });
  });
}
