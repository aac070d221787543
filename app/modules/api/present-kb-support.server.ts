import type { ArticlePageItem, getArticlePage } from "~/modules/kb/kb-queries.server.ts";
import { articlePath } from "~/modules/kb/kb.schema.ts";
import type { Dashboard } from "~/modules/metrics/dashboard-queries.server.ts";
import type { SupportMetrics } from "~/modules/support/support-metrics.server.ts";
import type { QueueRow, TicketPage } from "~/modules/support/ticket-queries.server.ts";

/** How the API shows articles, tickets and the dashboard (issue 22): what the pages show, as JSON with absolute URLs. */

type ArticlePage = NonNullable<Awaited<ReturnType<typeof getArticlePage>>>;

export function presentArticleListItem(origin: string, a: ArticlePageItem) {
  return { id: a.id, title: a.title, url: origin + encodeURI(a.path), status: a.status, category: a.category, updatedAt: a.updatedAt, publishedAt: a.publishedAt, viewCount: a.viewCount };
}

/** An article; `manage` (canManageArticles) adds the helpfulness answers, as on the article page. */
export function presentArticle(origin: string, a: ArticlePage, manage: boolean) {
  return {
    id: a.id, title: a.title, url: origin + encodeURI(articlePath({ categorySlug: a.category.slug, slug: a.slug })), status: a.status, bodyHtml: a.html,
    category: a.category, tags: a.tags, owner: a.owner ? { handle: a.owner.handle, displayName: a.owner.displayName } : null,
    publishedAt: a.publishedAt, updatedAt: a.updatedAt, reviewBy: a.reviewBy, revisionCount: a.revisionCount, viewCount: a.viewCount,
    sources: a.sources.map((s) => ({ id: s.id, title: s.title, url: origin + encodeURI(s.path), resolved: s.resolved })),
    helpfulness: manage ? { yes: a.helpfulYes, no: a.helpfulNo } : null,
  };
}

export function presentQueueRow(origin: string, r: QueueRow) {
  return { ...r, url: `${origin}/support/tickets/${r.id}` };
}

export function presentTicket(origin: string, t: TicketPage) {
  return {
    id: t.id, url: `${origin}/support/tickets/${t.id}`, status: t.status, priority: t.priority, source: t.source, message: t.message, outcome: t.outcome, outcomeLink: t.outcomeLink,
    createdAt: t.createdAt, waitingSince: t.waitingSince, firstResponseAt: t.firstResponseAt, resolvedAt: t.resolvedAt,
    customer: t.customer, assignee: t.assignee,
    thread: t.thread ? { id: t.thread.id, title: t.thread.title, url: `${origin}/questions/${t.thread.id}/${encodeURIComponent(t.thread.slug)}` } : null,
    article: t.article ? { id: t.article.id, title: t.article.title, url: origin + encodeURI(t.article.href) } : null,
    messages: t.messages,
    journey: t.journey ? t.journey.map(({ href, ...step }) => ({ ...step, url: href ? origin + encodeURI(href) : null })) : null,
  };
}

export function presentDashboard(origin: string, d: Dashboard, support: SupportMetrics) {
  const { scope } = d;
  return {
    range: { from: scope.from, to: scope.to, days: scope.days, previousFrom: scope.previousFrom, previousTo: scope.previousTo, bucket: scope.bucket, category: scope.categorySlug },
    figures: d.figures,
    series: d.series,
    unanswered: { total: d.unanswered.total, items: d.unanswered.items.map((q) => ({ id: q.id, title: q.title, url: `${origin}/questions/${q.id}/${encodeURIComponent(q.slug)}`, askedAt: q.askedAt, category: q.category })) },
    support,
  };
}
