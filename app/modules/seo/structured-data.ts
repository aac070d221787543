import type { Answer, Article, BreadcrumbList, ListItem, Person as SchemaPerson, QAPage, Question, WithContext } from "schema-dts";
import { absoluteUrl } from "./seo-urls.ts";
import { SITE_NAME } from "./seo-meta.ts";

/**
 * schema.org objects for JSON-LD (ADR 054), built from what a signed-out visitor may see: callers pass
 * only visible posts, and a hidden or deleted thread gets none at all. Text is plain (bodyText).
 * Typed with `schema-dts` (generated from the schema.org vocabulary): the compiler refuses a property
 * a type does not have and a value of the wrong type; tests/http/seo.test.ts validates the output.
 */

type Person = { handle: string; displayName: string };
export type QaPost = { id: string; text: string; score: number; createdAt: string; author: Person };

/** A post's score is upvotes minus downvotes; schema.org's upvoteCount is never negative. */
function upvotes(score: number): number {
  return Math.max(0, score);
}

function person(origin: string, p: Person): SchemaPerson {
  return { "@type": "Person", name: p.displayName, url: absoluteUrl(origin, `/u/${p.handle}`) };
}

/**
 * Google's QAPage: one Question with its answers; `acceptedAnswer` for the accepted one, every other
 * visible answer as a `suggestedAnswer`. Null when the thread has no visible answer (Google: no QAPage
 * on a question nobody answered).
 */
export function qaPageData(origin: string, input: { path: string; title: string; question: QaPost; answers: readonly QaPost[]; acceptedAnswerId: string | null; answerCount?: number }): WithContext<QAPage> | null {
  if (input.answers.length === 0) return null;
  const pageUrl = absoluteUrl(origin, input.path);
  const answer = (a: QaPost): Answer => ({
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
  const question: Question = {
    "@type": "Question",
    name: input.title,
    text: input.question.text,
    // All visible answers, when a long thread's page shows only some of them (ADR 075).
    answerCount: Math.max(input.answerCount ?? 0, input.answers.length),
    upvoteCount: upvotes(input.question.score),
    dateCreated: input.question.createdAt,
    datePublished: input.question.createdAt,
    author: person(origin, input.question.author),
  };
  if (accepted) question.acceptedAnswer = answer(accepted);
  if (suggested.length > 0) question.suggestedAnswer = suggested.map(answer);
  return { "@context": "https://schema.org", "@type": "QAPage", mainEntity: question };
}

/** A knowledge-base article (Google's Article: headline, dates, author with url, publisher). */
export function articleData(origin: string, input: { path: string; title: string; description: string; publishedAt: string | null; updatedAt: string; author: Person | null }): WithContext<Article> {
  const url = absoluteUrl(origin, input.path);
  const article: WithContext<Article> = {
    "@context": "https://schema.org",
    "@type": "Article",
    headline: input.title.slice(0, 110),
    description: input.description,
    url,
    mainEntityOfPage: url,
    dateModified: input.updatedAt,
    publisher: { "@type": "Organization", name: SITE_NAME, url: absoluteUrl(origin, "/") },
  };
  if (input.publishedAt) article.datePublished = input.publishedAt;
  if (input.author) article.author = person(origin, input.author);
  return article;
}

/** BreadcrumbList: each crumb a name and a path; the last one (the page itself) may omit its item. */
export function breadcrumbData(origin: string, crumbs: readonly { name: string; path: string }[]): WithContext<BreadcrumbList> {
  return {
    "@context": "https://schema.org",
    "@type": "BreadcrumbList",
    itemListElement: crumbs.map((c, i): ListItem => ({ "@type": "ListItem", position: i + 1, name: c.name, item: absoluteUrl(origin, c.path) })),
  };
}
