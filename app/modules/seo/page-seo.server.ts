import { siteOrigin } from "./site.server.ts";
import { plainDescription } from "./seo-meta.ts";
import { articleData, breadcrumbData, qaPageData, type QaPost } from "./structured-data.ts";

/**
 * What the thread and article pages give search engines, built in their loaders from the page's own
 * query (ADR 054). Hidden content never appears: a hidden or deleted thread (shown to a moderator) and a
 * hidden question get no structured data and `noindex`; hidden answers are left out of the QAPage even
 * when the viewer may see them, so what a moderator's copy carries is what a visitor's carries.
 */

/** What a page's loader passes on: the JSON-LD blocks leave the schema-dts types here (the page only serialises them). */
export type PageSeo = { description: string; noindex: boolean; jsonLd: object[] };

type ThreadPost = { id: bigint; bodyText: string; score: number; createdAt: Date; hidden: boolean; author: { handle: string; displayName: string } };

export function threadSeo(input: {
  path: string;
  thread: { title: string; acceptedAnswerId: bigint | null; hiddenAt: Date | null; deletedAt: Date | null; category: { slug: string; name: string }; state?: { unlistedAt: Date | null } };
  question: ThreadPost | null;
  answers: readonly ThreadPost[];
  /** Every visible answer's count, when `answers` is one page of a long thread (ADR 075). */
  answerCount?: number;
}): PageSeo {
  const { thread, question } = input;
  const visible = !thread.hiddenAt && !thread.deletedAt && question !== null && !question.hidden;
  if (!visible) return { description: "", noindex: true, jsonLd: [] };
  // An unlisted thread is reachable by its link but kept out of lists, search and sitemaps (ADR 048): not indexed either.
  if (thread.state?.unlistedAt) return { description: plainDescription(question.bodyText), noindex: true, jsonLd: [] };
  const origin = siteOrigin();
  const toPost = (p: ThreadPost): QaPost => ({ id: p.id.toString(), text: p.bodyText, score: p.score, createdAt: p.createdAt.toISOString(), author: p.author });
  const qaPage = qaPageData(origin, {
    path: input.path,
    title: thread.title,
    question: toPost(question),
    answers: input.answers.filter((a) => !a.hidden).map(toPost),
    acceptedAnswerId: thread.acceptedAnswerId?.toString() ?? null,
    answerCount: input.answerCount,
  });
  const breadcrumbs = breadcrumbData(origin, [
    { name: "Questions", path: "/questions" },
    { name: thread.category.name, path: `/categories/${thread.category.slug}` },
    { name: thread.title, path: input.path },
  ]);
  return { description: plainDescription(question.bodyText), noindex: false, jsonLd: qaPage ? [qaPage, breadcrumbs] : [breadcrumbs] };
}

export function articleSeo(input: {
  path: string;
  article: { title: string; bodyText: string; status: string; publishedAt: string | null; updatedAt: string; category: { slug: string; name: string }; owner: { handle: string; displayName: string } | null };
}): PageSeo {
  const { article } = input;
  const description = plainDescription(article.bodyText);
  // A draft or archived article is shown to staff only: nothing about it is offered to search engines.
  if (article.status !== "published") return { description, noindex: true, jsonLd: [] };
  const origin = siteOrigin();
  return {
    description,
    noindex: false,
    jsonLd: [
      articleData(origin, { path: input.path, title: article.title, description, publishedAt: article.publishedAt, updatedAt: article.updatedAt, author: article.owner }),
      breadcrumbData(origin, [
        { name: "Knowledge base", path: "/kb" },
        { name: article.category.name, path: `/kb#kb-cat-${article.category.slug}` },
        { name: article.title, path: input.path },
      ]),
    ],
  };
}
