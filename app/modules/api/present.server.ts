import { getThreadPage } from "~/modules/questions/questions-queries.server.ts";
import { canSeeHidden } from "~/modules/questions/questions.policy.ts";
import type { ThreadListItem } from "~/modules/questions/questions.schema.ts";
import type { ApiPrincipal } from "./api-keys.server.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";
import { API_ANSWERS_PER_PAGE } from "./api.schema.ts";

/** How the API shows things (issue 22): the same data the pages show, as plain JSON with absolute URLs. */
const person = (origin: string, a: { handle: string; displayName: string }) => ({ handle: a.handle, displayName: a.displayName, url: `${origin}/u/${encodeURIComponent(a.handle)}` });
export const threadUrl = (origin: string, id: string | bigint, slug: string) => `${origin}/questions/${id}/${encodeURIComponent(slug)}`;

export function presentListItem(origin: string, item: ThreadListItem) {
  return {
    id: item.id, title: item.title, url: threadUrl(origin, item.id, item.slug), score: item.score, answerCount: item.answerCount, viewCount: item.viewCount,
    resolved: item.resolved, createdAt: item.createdAt, lastActivityAt: item.lastActivityAt, category: item.category, tags: item.tags, author: person(origin, item.author),
  };
}

/**
 * A thread with its question and one page of its answers (API_ANSWERS_PER_PAGE, accepted first, then by
 * score, then oldest first) with their comments, as `principal` may see it (hidden content only for
 * moderators). `at` picks the page: a page number, or the page that holds an answer (a webhook's post).
 * A thread of 2,000 answers is read a page at a time, never whole (issue 25).
 */
export async function presentThread(origin: string, threadId: bigint, principal: ApiPrincipal | null, at: { page?: number; answerId?: bigint } = {}) {
  const viewer = principal ? { id: principal.member.id, seeHidden: canSeeHidden(principal.member) } : null;
  const page = await getThreadPage(threadId, viewer, { page: at.page ?? 1, answerId: at.answerId ?? null, perPage: API_ANSWERS_PER_PAGE });
  if (!page || !page.question) return null;
  const { thread, paging } = page;
  const url = threadUrl(origin, thread.id, thread.slug);
  const post = (p: (typeof page.answers)[number]) => ({
    id: p.id.toString(), bodyHtml: p.bodyHtml, score: p.score, byStaff: p.byStaff, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
    author: person(origin, p.author),
    comments: p.comments.map((c) => ({ id: c.id.toString(), body: c.body, createdAt: c.createdAt.toISOString(), author: person(origin, c.author) })),
  });
  return {
    id: thread.id.toString(), title: thread.title, url, score: thread.score, answerCount: thread.answerCount, viewCount: thread.viewCount,
    resolved: thread.acceptedAnswerId !== null, acceptedAnswerId: thread.acceptedAnswerId?.toString() ?? null,
    createdAt: thread.createdAt.toISOString(), lastActivityAt: thread.lastActivityAt.toISOString(),
    category: thread.category, tags: thread.tags.map((t) => t.tag.name),
    question: post(page.question),
    answers: page.answers.map((a) => ({ ...post(a), accepted: a.id === thread.acceptedAnswerId, url: postPath(url, a.id) })),
    answersPage: {
      page: paging.page, pageCount: paging.pages, perPage: paging.perPage, total: paging.total,
      next: paging.page < paging.pages ? `${origin}/api/v1/questions/${thread.id}?page=${paging.page + 1}` : null,
    },
  };
}
