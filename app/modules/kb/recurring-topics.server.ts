import { type Prisma } from "~/generated/prisma/client.ts";
import { analyze } from "~/modules/search/analyze.ts";
import { prisma } from "~/utils/db.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { clusterThreads, CLUSTER_DEFAULTS, type Tokenizer } from "./cluster-threads.ts";
import { articlePath, REPORT_PERIODS, type ReportPeriod } from "./kb.schema.ts";

/** Topics kept per report, threads listed (and promoted) per topic. */
const TOPICS_KEPT = 50;
const THREADS_SHOWN = 10;
/** Reports kept per period (older ones are deleted when a new one is stored). */
const REPORTS_KEPT = 3;

export type StoredThread = { id: string; title: string; slug: string; views: number; resolved: boolean };
export type StoredTopic = { label: string; terms: string[]; threadCount: number; views: number; resolvedCount: number; threads: StoredThread[] };

type Row = { id: bigint; title: string; slug: string; view_count: number; resolved: boolean; body: string; tags: string[] };

/**
 * Recomputes the recurring-topics report of one period (the last `periodDays` days of new
 * threads, hidden and deleted ones left out) and stores it with its computation time. Run by the
 * `refresh-recurring-topics` job every hour, and on demand from /kb/recurring. A read model: it
 * changes no domain state, so it records no domain event.
 */
export async function computeRecurringTopics(periodDays: ReportPeriod, options: { now?: Date; tokenize?: Tokenizer } = {}) {
  const started = performance.now();
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - periodDays * 86_400_000);
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT t.id, t.title, t.slug, t.view_count, t.accepted_answer_id IS NOT NULL AS resolved, left(p.body_text, ${CLUSTER_DEFAULTS.bodyChars}) AS body,
      ARRAY(SELECT g.name FROM thread_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.thread_id = t.id) AS tags
    FROM threads t LEFT JOIN posts p ON p.id = t.question_post_id
    WHERE t.created_at >= ${since} AND t.created_at <= ${now} AND t.deleted_at IS NULL AND t.hidden_at IS NULL`;
  const loaded = performance.now();
  const byId = new Map(rows.map((r) => [r.id.toString(), r]));
  const topics = clusterThreads(
    rows.map((r) => ({ id: r.id.toString(), title: r.title, text: r.body ?? "", tags: r.tags, views: r.view_count })),
    options.tokenize ?? analyze,
  ).slice(0, TOPICS_KEPT);
  const clustered = performance.now();
  const stored: StoredTopic[] = topics.map((topic) => {
    const threads = topic.threadIds.map((id) => byId.get(id)!);
    return {
      label: threads[0]!.title,
      terms: topic.terms,
      threadCount: threads.length,
      views: topic.views,
      resolvedCount: threads.filter((t) => t.resolved).length,
      threads: threads.slice(0, THREADS_SHOWN).map((t) => ({ id: t.id.toString(), title: t.title, slug: t.slug, views: t.view_count, resolved: t.resolved })),
    };
  });
  const report = await prisma.$transaction(async (tx) => {
    const created = await tx.recurringTopicReport.create({ data: { periodDays, computedAt: now, topics: stored as unknown as Prisma.InputJsonValue }, select: { id: true } });
    await tx.$executeRaw`
      DELETE FROM recurring_topic_reports WHERE period_days = ${periodDays} AND category_id IS NULL AND id NOT IN (
        SELECT id FROM recurring_topic_reports WHERE period_days = ${periodDays} AND category_id IS NULL ORDER BY computed_at DESC, id DESC LIMIT ${REPORTS_KEPT})`;
    return created;
  });
  const timings = { threads: rows.length, topics: stored.length, loadMs: Math.round(loaded - started), clusterMs: Math.round(clustered - loaded), totalMs: Math.round(performance.now() - started) };
  logger.info({ periodDays, ...timings }, "recurring topics computed");
  return { reportId: report.id, ...timings };
}

/** The job: every period's report, one after the other. */
export async function refreshRecurringTopics(): Promise<void> {
  for (const period of REPORT_PERIODS) await computeRecurringTopics(period);
}

export type RecurringTopic = StoredTopic & { article: { id: string; title: string; status: string; path: string } | null };

/**
 * The newest stored report of a period, with each topic marked when one of its listed threads
 * already has an article (read now, so a promotion shows at once). Two statements.
 */
export async function getRecurringReport(periodDays: ReportPeriod): Promise<{ computedAt: string; topics: RecurringTopic[] } | null> {
  const report = await prisma.recurringTopicReport.findFirst({
    where: { periodDays, categoryId: null },
    orderBy: [{ computedAt: "desc" }, { id: "desc" }],
    select: { computedAt: true, topics: true },
  });
  if (!report) return null;
  const topics = report.topics as unknown as StoredTopic[];
  const ids = [...new Set(topics.flatMap((t) => t.threads.map((x) => x.id)))];
  const links = ids.length
    ? await prisma.$queryRaw<{ thread_id: bigint; id: bigint; title: string; status: string; slug: string; category_slug: string }[]>`
        SELECT s.thread_id, a.id, a.title, a.status::text AS status, a.slug, c.slug AS category_slug
        FROM article_sources s JOIN articles a ON a.id = s.article_id JOIN categories c ON c.id = a.category_id
        WHERE s.thread_id = ANY(${ids.map((id) => BigInt(id))}::bigint[]) AND a.status <> 'archived'`
    : [];
  const byThread = new Map(links.map((l) => [l.thread_id.toString(), { id: l.id.toString(), title: l.title, status: l.status, path: articlePath({ categorySlug: l.category_slug, slug: l.slug }) }]));
  return {
    computedAt: report.computedAt.toISOString(),
    topics: topics.map((t) => ({ ...t, article: t.threads.map((x) => byThread.get(x.id)).find(Boolean) ?? null })),
  };
}
