import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { PeriodParam, REPORT_PERIODS } from "~/modules/kb/kb.schema.ts";
import { getRecurringReport } from "~/modules/kb/recurring-topics.server.ts";
import { requireArticleManager } from "~/modules/kb/require-manager.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { enqueue } from "~/utils/jobs.server.ts";
import { pageTitle } from "~/utils/meta.ts";
import { useFormat } from "~/utils/intl.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "kb.recurring.title") }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireArticleManager(request);
  const period = PeriodParam.parse(new URL(request.url).searchParams.get("period") ?? undefined);
  return json({ period, report: await getRecurringReport(period) });
}

/** "Recompute now": queues the same job the hourly schedule runs (ADR 022). */
export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  await requireArticleManager(request);
  await enqueue(prisma, "refresh-recurring-topics", {}, { maxAttempts: 1 });
  return json({ queued: true });
}

export default function RecurringRoute() {
  const { t } = useTranslation();
  const format = useFormat();
  const { period, report } = useLoaderData<typeof loader>();
  const queued = useActionData<typeof action>()?.queued;
  return (
    <Page>
      <h1>{t("kb.recurring.title")}</h1>
      <p className="muted">{t("kb.recurring.lead")}</p>
      <nav aria-label={t("kb.recurring.period")} className="tabs">
        {REPORT_PERIODS.map((p) => (
          <Link key={p} to={`/kb/recurring?period=${p}`} aria-current={p === period ? "page" : undefined}>
            {t("kb.recurring.days", { count: p })}
          </Link>
        ))}
      </nav>
      <div className="inline-form" style={{ margin: "0.75rem 0" }}>
        <p className="muted" style={{ margin: 0 }} data-testid="computed-at">
          {report ? t("kb.recurring.computedAt", { time: format.dateTime(report.computedAt) }) : t("kb.recurring.notYet")}
        </p>
        <Form method="post">
          <CsrfInput />
          <button type="submit" className="button secondary small">
            {t("kb.recurring.refresh")}
          </button>
        </Form>
        {queued ? (
          <p role="status" style={{ margin: 0 }}>
            {t("kb.recurring.queued")}
          </p>
        ) : null}
      </div>
      {report && report.topics.length === 0 ? <p className="card">{t("kb.recurring.empty")}</p> : null}
      <ol className="kb-topics">
        {report?.topics.map((topic, i) => (
          <li key={i} className="card" data-testid="topic">
            <h2 id={`topic-${i}`}>{topic.label}</h2>
            <p className="muted">
              {t("kb.recurring.threads", { count: topic.threadCount })} · {t("questions.views", { count: topic.views })} · {t("kb.recurring.resolved", { count: topic.resolvedCount })}
              {topic.terms.length ? ` · ${t("kb.recurring.terms")}: ${topic.terms.join(", ")}` : ""}
            </p>
            <ul>
              {topic.threads.map((thread) => (
                <li key={thread.id}>
                  <Link to={`/questions/${thread.id}/${thread.slug}`}>{thread.title}</Link> <span className="muted">({t("questions.views", { count: thread.views })}{thread.resolved ? `, ${t("questions.resolved").toLowerCase()}` : ""})</span>
                </li>
              ))}
            </ul>
            {topic.article ? (
              <p className="notice">
                {t("kb.recurring.hasArticle")} <Link to={topic.article.path}>{topic.article.title}</Link> ({t(`kb.status.${topic.article.status}`)})
              </p>
            ) : (
              <Form method="post" action="/kb/promote">
                <CsrfInput />
                {topic.threads.map((thread) => (
                  <input key={thread.id} type="hidden" name="threadIds" value={thread.id} />
                ))}
                <button type="submit" className="button small" aria-describedby={`topic-${i}`}>
                  {t("kb.recurring.promote")}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ol>
    </Page>
  );
}
