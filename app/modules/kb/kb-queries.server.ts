import { hasControlCharacters } from "~/modules/content/plain-text.schema.ts";
import { categoryMap, expertIn, withExpertMarks } from "~/modules/reputation/expert-marks.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import { decodeKeysetCursor, encodeKeysetCursor } from "~/modules/api/keyset-cursor.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { forbidden, ok, type Result } from "~/utils/http.server.ts";
import { canManageArticles } from "./kb.policy.ts";
import { articlePath, LOW_HELPFULNESS } from "./kb.schema.ts";

/** Reads of the knowledge base. They select what each page shows and return plain DTOs. */

export type ArticleListItem = { id: string; title: string; path: string; updatedAt: string; helpfulYes: number; helpfulNo: number; viewCount: number; status: string };

/** The /kb home: categories with their published articles (most recently updated first, 20 each). */
export async function getKbHome(options: { includeDrafts: boolean }) {
  const rows = await prisma.$queryRaw<
    { id: bigint; title: string; slug: string; status: string; updated_at: Date; helpful_yes: number; helpful_no: number; view_count: number; category_id: number; category_slug: string; category_name: string; category_description: string; position: number }[]
  >`
    SELECT a.id, a.title, a.slug, a.status::text AS status, a.updated_at, a.helpful_yes, a.helpful_no, a.view_count,
      c.id AS category_id, c.slug AS category_slug, c.name AS category_name, c.description AS category_description, c.position
    FROM categories c
    JOIN LATERAL (
      SELECT * FROM articles a WHERE a.category_id = c.id AND (a.status = 'published' OR (${options.includeDrafts} AND a.status = 'draft'))
      ORDER BY a.updated_at DESC, a.id DESC LIMIT 20
    ) a ON TRUE
    ORDER BY c.position, c.id, a.updated_at DESC, a.id DESC`;
  const categories: { slug: string; name: string; description: string; articles: ArticleListItem[] }[] = [];
  for (const r of rows) {
    let category = categories.find((c) => c.slug === r.category_slug);
    if (!category) categories.push((category = { slug: r.category_slug, name: r.category_name, description: r.category_description, articles: [] }));
    category.articles.push({
      id: r.id.toString(), title: r.title, path: articlePath({ categorySlug: r.category_slug, slug: r.slug }), updatedAt: r.updated_at.toISOString(),
      helpfulYes: r.helpful_yes, helpfulNo: r.helpful_no, viewCount: r.view_count, status: r.status,
    });
  }
  return categories;
}

/** One article by its address, with tags, owner, source threads and the visitor's own feedback. */
export async function getArticlePage(categorySlug: string, slug: string, visitorKey: string | null) {
  // URL parameters with control characters name nothing (and PostgreSQL refuses NUL in text).
  if (hasControlCharacters(categorySlug) || hasControlCharacters(slug)) return null;
  const found = await prisma.category.findUnique({ where: { slug: categorySlug }, select: { id: true } });
  if (!found) return null;
  const article = await prisma.article.findUnique({
    where: { categoryId_slug: { categoryId: found.id, slug } },
    select: {
      id: true, slug: true, title: true, bodyHtml: true, bodyText: true, status: true, reviewBy: true, revisionCount: true, viewCount: true, helpfulYes: true, helpfulNo: true,
      publishedAt: true, updatedAt: true, createdAt: true, ownerId: true, authorId: true, categoryId: true,
      tags: { select: { tagId: true } },
      sources: { select: { threadId: true, creditedUserId: true }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!article) return null;
  const [category, tags, people, threads, feedback] = await Promise.all([
    prisma.category.findUniqueOrThrow({ where: { id: article.categoryId }, select: { slug: true, name: true } }),
    prisma.tag.findMany({ where: { id: { in: article.tags.map((t) => t.tagId) } }, select: { name: true }, orderBy: { name: "asc" } }),
    prisma.user.findMany({
      where: { id: { in: [article.ownerId, article.authorId, ...article.sources.map((s) => s.creditedUserId).filter((v): v is string => !!v)] } },
      select: { id: true, handle: true, displayName: true, expertCategoryIds: true },
    }),
    prisma.thread.findMany({ where: { id: { in: article.sources.map((s) => s.threadId) }, deletedAt: null, hiddenAt: null }, select: { id: true, slug: true, title: true, acceptedAnswerId: true } }),
    visitorKey ? prisma.articleFeedback.findUnique({ where: { articleId_visitorKey: { articleId: article.id, visitorKey } }, select: { helpful: true, comment: true } }) : null,
  ]);
  const categories = await categoryMap(people.map((p) => p.expertCategoryIds));
  const person = (id: string | null) => {
    const p = people.find((u) => u.id === id);
    return p ? { handle: p.handle, displayName: p.displayName, expertIn: expertIn(p.expertCategoryIds, categories) } : null;
  };
  return {
    id: article.id.toString(),
    title: article.title,
    slug: article.slug,
    html: article.bodyHtml,
    bodyText: article.bodyText,
    status: article.status as string,
    reviewBy: article.reviewBy ? article.reviewBy.toISOString().slice(0, 10) : null,
    revisionCount: article.revisionCount,
    viewCount: article.viewCount,
    helpfulYes: article.helpfulYes,
    helpfulNo: article.helpfulNo,
    publishedAt: article.publishedAt?.toISOString() ?? null,
    updatedAt: article.updatedAt.toISOString(),
    category,
    tags: tags.map((t) => t.name),
    owner: person(article.ownerId),
    ownerId: article.ownerId,
    sources: article.sources.flatMap((s) => {
      const t = threads.find((x) => x.id === s.threadId);
      return t ? [{ id: t.id.toString(), title: t.title, path: `/questions/${t.id}/${t.slug}`, resolved: t.acceptedAnswerId !== null, credited: person(s.creditedUserId) }] : [];
    }),
    myFeedback: feedback ? { helpful: feedback.helpful, comment: feedback.comment } : null,
  };
}

/** An article's status and address by its id (search results link articles by id). */
export async function getArticleAddress(articleId: bigint): Promise<{ status: string; path: string } | null> {
  const [row] = await prisma.$queryRaw<{ status: string; slug: string; category_slug: string }[]>`
    SELECT a.status::text AS status, a.slug, c.slug AS category_slug
    FROM articles a JOIN categories c ON c.id = a.category_id
    WHERE a.id = ${articleId}`;
  return row ? { status: row.status, path: articlePath({ categorySlug: row.category_slug, slug: row.slug }) } : null;
}

/**
 * The article that had this address before a retitle or a move (ADR 053), with its status (the caller
 * checks canReadArticle) and current address; null when the address was never an article's.
 */
export async function getArticleByOldAddress(categorySlug: string, slug: string): Promise<{ status: string; path: string } | null> {
  if (hasControlCharacters(categorySlug) || hasControlCharacters(slug)) return null;
  const [row] = await prisma.$queryRaw<{ status: string; slug: string; category_slug: string }[]>`
    SELECT a.status::text AS status, a.slug, c.slug AS category_slug
    FROM article_old_addresses o
    JOIN categories oc ON oc.id = o.category_id
    JOIN articles a ON a.id = o.article_id
    JOIN categories c ON c.id = a.category_id
    WHERE oc.slug = ${categorySlug} AND o.slug = ${slug}`;
  return row ? { status: row.status, path: articlePath({ categorySlug: row.category_slug, slug: row.slug }) } : null;
}

/** What the edit form starts from. */
export async function getArticleForEdit(articleId: bigint) {
  const article = await prisma.article.findUnique({
    where: { id: articleId },
    select: { id: true, title: true, slug: true, status: true, categoryId: true, bodyJson: true, reviewBy: true, ownerId: true, tags: { select: { tagId: true } }, sources: { select: { threadId: true } } },
  });
  if (!article) return null;
  const [tags, category] = await Promise.all([
    prisma.tag.findMany({ where: { id: { in: article.tags.map((t) => t.tagId) } }, select: { name: true }, orderBy: { name: "asc" } }),
    prisma.category.findUniqueOrThrow({ where: { id: article.categoryId }, select: { slug: true } }),
  ]);
  return {
    id: article.id.toString(),
    title: article.title,
    status: article.status as string,
    categoryId: article.categoryId,
    path: articlePath({ categorySlug: category.slug, slug: article.slug }),
    bodyJson: article.bodyJson as object,
    reviewBy: article.reviewBy ? article.reviewBy.toISOString().slice(0, 10) : "",
    ownerId: article.ownerId,
    tags: tags.map((t) => t.name),
    sourceCount: article.sources.length,
  };
}

/** An article's revisions, oldest first, for the history page. */
export async function getArticleRevisions(articleId: bigint) {
  const article = await prisma.article.findUnique({ where: { id: articleId }, select: { id: true, title: true, slug: true, status: true, categoryId: true } });
  if (!article) return null;
  const category = await prisma.category.findUniqueOrThrow({ where: { id: article.categoryId }, select: { slug: true } });
  const revisions = await prisma.articleRevision.findMany({
    where: { articleId },
    orderBy: { revision: "asc" },
    select: { revision: true, title: true, bodyText: true, reason: true, createdAt: true, editorId: true },
  });
  const editors = await withExpertMarks(
    await prisma.user.findMany({ where: { id: { in: [...new Set(revisions.map((r) => r.editorId))] } }, select: { id: true, handle: true, displayName: true, expertCategoryIds: true } }),
  );
  return {
    article: { id: article.id.toString(), title: article.title, status: article.status as string, path: articlePath({ categorySlug: category.slug, slug: article.slug }) },
    revisions: revisions.map((r) => ({ ...r, editor: editors.find((e) => e.id === r.editorId) ?? { handle: "", displayName: "?" } })),
  };
}

/** Who can own an article: active staff, moderators and admins. */
export async function listOwnerCandidates() {
  return prisma.user.findMany({
    where: { status: "active", role: { in: ["moderator", "staff", "admin"] } },
    select: { id: true, displayName: true, handle: true, role: true },
    orderBy: { displayName: "asc" },
  });
}

export type ReviewItem = ArticleListItem & { reviewBy: string | null; overdue: boolean; lowHelpfulness: boolean; owner: { handle: string; displayName: string } };

/**
 * Articles that need their owner: past their review-by date, or rated unhelpful by readers (at
 * least LOW_HELPFULNESS.minAnswers answers, under LOW_HELPFULNESS.maxYesShare "yes"). Archived
 * articles are left out. `ownerId` narrows the list to one owner's articles.
 */
export async function listArticlesToReview(ownerId: string | null): Promise<ReviewItem[]> {
  const rows = await prisma.$queryRaw<
    { id: bigint; title: string; slug: string; status: string; updated_at: Date; helpful_yes: number; helpful_no: number; view_count: number; review_by: Date | null; overdue: boolean; low: boolean; category_slug: string; handle: string; display_name: string }[]
  >`
    SELECT a.id, a.title, a.slug, a.status::text AS status, a.updated_at, a.helpful_yes, a.helpful_no, a.view_count, a.review_by,
      COALESCE(a.review_by < (now() AT TIME ZONE 'UTC')::date, FALSE) AS overdue,
      (a.helpful_yes + a.helpful_no >= ${LOW_HELPFULNESS.minAnswers} AND a.helpful_yes < ${LOW_HELPFULNESS.maxYesShare}::float8 * (a.helpful_yes + a.helpful_no)) AS low,
      c.slug AS category_slug, u.handle, u.display_name
    FROM articles a JOIN categories c ON c.id = a.category_id JOIN users u ON u.id = a.owner_id
    WHERE a.status <> 'archived' AND (${ownerId}::text IS NULL OR a.owner_id = ${ownerId})
      AND (a.review_by < (now() AT TIME ZONE 'UTC')::date
        OR (a.helpful_yes + a.helpful_no >= ${LOW_HELPFULNESS.minAnswers} AND a.helpful_yes < ${LOW_HELPFULNESS.maxYesShare}::float8 * (a.helpful_yes + a.helpful_no)))
    ORDER BY a.review_by ASC NULLS LAST, a.id
    LIMIT 200`;
  return rows.map((r) => ({
    id: r.id.toString(), title: r.title, path: articlePath({ categorySlug: r.category_slug, slug: r.slug }), updatedAt: r.updated_at.toISOString(), status: r.status,
    helpfulYes: r.helpful_yes, helpfulNo: r.helpful_no, viewCount: r.view_count, reviewBy: r.review_by ? r.review_by.toISOString().slice(0, 10) : null,
    overdue: r.overdue, lowHelpfulness: r.low, owner: { handle: r.handle, displayName: r.display_name },
  }));
}

export const ARTICLE_PAGE_SIZE = 30;
export type ArticleStatusFilter = "published" | "draft" | "archived" | "all";
export type ArticlePageItem = ArticleListItem & { category: { slug: string; name: string }; publishedAt: string | null };

/**
 * One page of articles, most recently updated first, by keyset (the last row's updated_at and id, an opaque
 * cursor). Published articles are everyone's; drafts, archived articles and "all" only for the people who
 * manage the knowledge base (canManageArticles, as on /kb): anyone else asking for them is refused (403).
 * An unknown category gives an empty page. The caller's schema refuses a cursor this server did not make.
 */
export async function listArticles(
  actor: Actor | null,
  params: { status: ArticleStatusFilter; categorySlug?: string | null; cursor?: string | null },
): Promise<Result<{ items: ArticlePageItem[]; nextCursor: string | null }>> {
  if (params.status !== "published" && !canManageArticles(actor)) return forbidden("messages.kb.draftsForbidden");
  const where: Prisma.Sql[] = [params.status === "all" ? Prisma.sql`TRUE` : Prisma.sql`a.status = ${params.status}::"ArticleStatus"`];
  if (params.categorySlug) where.push(Prisma.sql`c.slug = ${params.categorySlug}`);
  const cursor = params.cursor ? decodeKeysetCursor(params.cursor) : null;
  // Every article has an updated_at: a cursor without one is past the end.
  if (cursor) where.push(cursor.at ? Prisma.sql`(a.updated_at, a.id) < (${new Date(cursor.at)}, ${BigInt(cursor.id)})` : Prisma.sql`FALSE`);
  const rows = await prisma.$queryRaw<
    { id: bigint; title: string; slug: string; status: string; updated_at: Date; published_at: Date | null; helpful_yes: number; helpful_no: number; view_count: number; category_slug: string; category_name: string }[]
  >`
    SELECT a.id, a.title, a.slug, a.status::text AS status, a.updated_at, a.published_at, a.helpful_yes, a.helpful_no, a.view_count,
      c.slug AS category_slug, c.name AS category_name
    FROM articles a JOIN categories c ON c.id = a.category_id
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY a.updated_at DESC, a.id DESC
    LIMIT ${ARTICLE_PAGE_SIZE + 1}`;
  const manage = canManageArticles(actor);
  const page = rows.slice(0, ARTICLE_PAGE_SIZE);
  const last = page[page.length - 1];
  return ok({
    items: page.map((r) => ({
      id: r.id.toString(), title: r.title, path: articlePath({ categorySlug: r.category_slug, slug: r.slug }), updatedAt: r.updated_at.toISOString(),
      publishedAt: r.published_at?.toISOString() ?? null, status: r.status, category: { slug: r.category_slug, name: r.category_name },
      // Helpfulness is for the people who keep articles right (as on the article page).
      helpfulYes: manage ? r.helpful_yes : 0, helpfulNo: manage ? r.helpful_no : 0, viewCount: r.view_count,
    })),
    nextCursor: rows.length > ARTICLE_PAGE_SIZE && last ? encodeKeysetCursor({ at: last.updated_at.toISOString(), id: last.id.toString() }) : null,
  });
}

/** An article by its id, as its page shows it (getArticlePage), or null. The caller checks canReadArticle. */
export async function getArticlePageById(articleId: bigint) {
  const [row] = await prisma.$queryRaw<{ slug: string; category_slug: string }[]>`
    SELECT a.slug, c.slug AS category_slug FROM articles a JOIN categories c ON c.id = a.category_id WHERE a.id = ${articleId}`;
  return row ? getArticlePage(row.category_slug, row.slug, null) : null;
}
