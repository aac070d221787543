import { absoluteUrl } from "./seo-urls.ts";
import { SITE_NAME } from "./seo-meta.ts";

/**
 * schema.org objects for JSON-LD (ADR 054), built from what a signed-out visitor may see: callers pass
 * only visible posts, and a hidden or deleted thread gets none at all. Text is plain (bodyText).
 */

type Person = { handle: string; displayName: string };
export type QaPost = { id: string; text: string; score: number; createdAt: string; author: Person };

/** A post's score is upvotes minus downvotes; schema.org's upvoteCount is never negative. */
function upvotes(score: number): number {
  return Math.max(0, score);
}

function person(origin: string, p: Person) {
  return { "@type": "Person", name: p.displayName, url: absoluteUrl(origin, `/u/${p.handle}`) };
}

/**
 * Google's QAPage: one Question with its answers; `acceptedAnswer` for the accepted one, every other
 * visible answer as a `suggestedAnswer`. Null when the thread has no visible answer (Google: no QAPage
 * on a question nobody answered).
 */
export function qaPageData(origin: string, input: { path: string; title: string; question: QaPost; answers: readonly QaPost[]; acceptedAnswerId: string | null }) {
  if (input.answers.length === 0) return null;
  const pageUrl = absoluteUrl(origin, input.path);
  const answer = (a: QaPost) => ({
    "@type": "Answer",
    text: a.text,
    upvoteCount: upvotes(a.score),
    url: `${pageUrl}#post-${a.id}`,
    dateCreated: a.createdAt,
    datePublished: a.createdAt,
    author: person(origin, a.author),
  });
  const accepted = input.answers.find((a) => a.id === input.acceptedAnswerId);
  const suggested = input.answers.filter((a) => a !== accepted);
  return {
    "@context": "https://schema.org",
    "@type": "QAPage",
    mainEntity: {
      "@type": "Question",
      name: input.title,
      text: input.question.text,
      answerCount: input.answers.length,
      upvoteCount: upvotes(input.question.score),
      dateCreated: input.question.createdAt,
      datePublished: input.question.createdAt,
      author: person(origin, input.question.author),
      ...(accepted ? { acceptedAnswer: answer(accepted) } : {}),
      ...(suggested.length > 0 ? { suggestedAnswer: suggested.map(answer) } : {}),
    },
  };
}

/** A knowledge-base article (Google's Article: headline, dates, author with url, publisher). */
export function articleData(origin: string, input: { path: string; title: string; description: string; publishedAt: string | null; updatedAt: string; author: Person | null }) {
  const url = absoluteUrl(origin, input.path);
  return {
    "@context": "https://schema.org",
    "@type": "Article",
    headline: input.title.slice(0, 110),
    description: input.description,
    url,
    mainEntityOfPage: url,
    ...(input.publishedAt ? { datePublished: input.publishedAt } : {}),
    dateModified: input.updatedAt,
    ...(input.author ? { author: person(origin, input.author) } : {}),
    publisher: { "@type": "Organization", name: SITE_NAME, url: absoluteUrl(origin, "/") },
  };
}

/** BreadcrumbList: each crumb a name and a path; the last one (the page itself) may omit its item. */
export function breadcrumbData(origin: string, crumbs: readonly { name: string; path: string }[]) {
  return {
    "@context": "https://schema.org",
    "@type": "BreadcrumbList",
    itemListElement: crumbs.map((c, i) => ({ "@type": "ListItem", position: i + 1, name: c.name, item: absoluteUrl(origin, c.path) })),
  };
}
