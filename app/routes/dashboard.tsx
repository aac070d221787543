import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BarsChart, ChartFigure, LinesChart } from "~/components/dashboard-charts.tsx";
import { ErrorList, SubmitButton } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { UserName } from "~/components/user-name.tsx";
import { SupportMetricsSection } from "~/components/support-metrics-section.tsx";
import { useOpenedByLink } from "~/components/use-opened-by-link.ts";
import { getDashboardPage, type Figure } from "~/modules/metrics/dashboard-queries.server.ts";
import { PRESETS, type ExportName } from "~/modules/metrics/metrics.schema.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { statusOf } from "~/utils/http.server.ts";
import { pageTitle } from "~/utils/meta.ts";
import { useFormat as useIntlFormat } from "~/utils/intl.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.dashboard") }];

/** Staff and admins only: signed out -> sign in; members -> 403; a bad range or category -> 400 with the form. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const result = await getDashboardPage(user, query);
  if (!result.ok) throw new Response("message" in result ? result.message : "Bad request", { status: statusOf(result), headers: { "Content-Type": "text/plain; charset=utf-8" } });
  // The page shows each recurring topic's label and counts: its thread ids (the CSV's) stay on the server.
  const dashboard = result.value.dashboard && {
    ...result.value.dashboard,
    topics: { ...result.value.dashboard.topics, topics: result.value.dashboard.topics.topics.map(({ label, threadCount, views }) => ({ label, threadCount, views })) },
  };
  return json({ ...result.value, dashboard, query }, { status: result.value.dashboard ? 200 : 400 });
}

const QUESTION_FIGURES = ["asked", "answeredRate", "resolvedRate", "ttfaMedian", "ttfaP90", "ttrMedian", "ttrP90", "reopenRate", "unanswered"];

function useFormat() {
  const { t } = useTranslation();
  const intl = useIntlFormat();
  const duration = (seconds: number) => {
    if (seconds < 60) return t("dashboard.seconds", { value: Math.round(seconds) });
    if (seconds < 3600) return t("dashboard.minutes", { value: Math.round(seconds / 60) });
    if (seconds < 86400 * 2) return t("dashboard.hours", { value: (seconds / 3600).toFixed(1) });
    return t("dashboard.days", { value: (seconds / 86400).toFixed(1) });
  };
  const value = (f: Pick<Figure, "kind">, v: number | null) => {
    if (v === null) return t("dashboard.noValue");
    if (f.kind === "rate") return `${(v * 100).toFixed(1)}%`;
    if (f.kind === "duration") return duration(v);
    return intl.number(v);
  };
  const change = (f: Figure) => {
    if (f.value === null || f.previous === null) return t("dashboard.noPrevious");
    const diff = f.value - f.previous;
    if (Math.abs(diff) < 1e-9) return t("dashboard.change.same");
    const amount = f.kind === "rate" ? t("dashboard.pp", { value: Math.abs(diff * 100).toFixed(1) }) : f.kind === "duration" ? duration(Math.abs(diff)) : intl.number(Math.abs(diff));
    return `${t(diff > 0 ? "dashboard.change.up" : "dashboard.change.down", { value: amount })}; ${t("dashboard.previous", { value: value(f, f.previous) })}`;
  };
  return { value, change };
}

function FigureCard({ figure }: { figure: Figure }) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = `figure-${figure.key}`;
  return (
    <div className="dash-figure" data-testid={id}>
      <dt id={`${id}-label`}>{t(`dashboard.figure.${figure.key}.label`)}</dt>
      <dd className="dash-figure__value">{format.value(figure, figure.value)}</dd>
      <dd className="dash-figure__change">{format.change(figure)}</dd>
      <dd className="dash-figure__definition">{t(`dashboard.figure.${figure.key}.definition`)}</dd>
    </div>
  );
}

function Table({ caption, head, rows, empty }: { caption: string; head: string[]; rows: ReactNode[][]; empty?: string }) {
  if (rows.length === 0 && empty) return <p className="muted">{empty}</p>;
  return (
    <div className="dash-table">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (j === 0 ? <th key={j} scope="row">{c}</th> : <td key={j}>{c}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function DashboardRoute() {
  // The series table is drawn only when opened (`?table=series` without JavaScript): collapsed, its 90 rows
  // were half of the page's elements, for a table most visits never open (ADR 081). The charts' "table" links
  // point at it (`#dash-series`): following one opens it.
  const seriesTable = useOpenedByLink("table", "series", "dash-series");
  const { setOpened: openSeriesTable } = seriesTable;
  const { hash } = useLocation();
  useEffect(() => {
    if (hash === "#dash-series") openSeriesTable(true);
  }, [hash, openSeriesTable]);
  const { t } = useTranslation();
  const intl = useIntlFormat();
  const { categories, dashboard, fieldErrors, query } = useLoaderData<typeof loader>();
  const support = dashboard?.support ?? null;
  const navigation = useNavigation();
  const scope = dashboard?.scope;
  const range = scope ? (query.range ?? "30") : (query.range ?? "30");
  const exportParams = new URLSearchParams();
  if (scope) {
    exportParams.set("range", "custom");
    exportParams.set("from", scope.from);
    exportParams.set("to", scope.to);
    if (scope.categorySlug) exportParams.set("category", scope.categorySlug);
  }
  const exportHref = (name: ExportName) => `/dashboard/export/${name}?${exportParams.toString()}`;
  const download = (name: ExportName, label: string) => (
    <a className="button secondary small" href={exportHref(name)} download aria-label={t("dashboard.downloadNamed", { name: label })}>
      {t("dashboard.download")}
    </a>
  );
  const bucket = t(`dashboard.chart.${scope?.bucket ?? "day"}`);
  const pct = (v: number | null) => (v === null ? t("dashboard.noValue") : `${(v * 100).toFixed(1)}%`);
  const figures = dashboard?.figures ?? [];
  const seriesLink = { href: "#dash-series", label: t("dashboard.chart.seeSeriesTable", { bucket }) };
  const errorId = (field: string) => (fieldErrors[field] ? `${field}-error` : undefined);

  return (
    <Page>
      <div className="page-head">
        <h1>{t("dashboard.title")}</h1>
      </div>
      <p className="muted">{t("dashboard.intro")}</p>

      <Form method="get" className="card dash-filters" aria-labelledby="dash-filters-heading">
        <h2 id="dash-filters-heading" className="visually-hidden">
          {t("dashboard.filters")}
        </h2>
        {!dashboard ? (
          <p className="form-errors" role="alert">
            {t("dashboard.invalid")}
          </p>
        ) : null}
        <div className="dash-filters__row">
          <div className="field">
            <label htmlFor="dash-range">{t("dashboard.range")}</label>
            <select id="dash-range" name="range" defaultValue={range} aria-invalid={fieldErrors.range ? true : undefined} aria-describedby={errorId("range")}>
              {PRESETS.map((p) => (
                <option key={p} value={p}>
                  {t(`dashboard.preset.${p}`)}
                </option>
              ))}
            </select>
            <ErrorList id={errorId("range")} errors={fieldErrors.range} />
          </div>
          <div className="field">
            <label htmlFor="dash-from">{t("dashboard.from")}</label>
            <input id="dash-from" type="date" name="from" defaultValue={query.from ?? scope?.from ?? ""} aria-invalid={fieldErrors.from ? true : undefined} aria-describedby={["dash-dates-hint", errorId("from")].filter(Boolean).join(" ")} />
            <ErrorList id={errorId("from")} errors={fieldErrors.from} />
          </div>
          <div className="field">
            <label htmlFor="dash-to">{t("dashboard.to")}</label>
            <input id="dash-to" type="date" name="to" defaultValue={query.to ?? scope?.to ?? ""} aria-invalid={fieldErrors.to ? true : undefined} aria-describedby={["dash-dates-hint", errorId("to")].filter(Boolean).join(" ")} />
            <ErrorList id={errorId("to")} errors={fieldErrors.to} />
          </div>
          <div className="field">
            <label htmlFor="dash-category">{t("dashboard.category")}</label>
            <select id="dash-category" name="category" defaultValue={query.category ?? "all"} aria-invalid={fieldErrors.category ? true : undefined} aria-describedby={errorId("category")}>
              <option value="all">{t("dashboard.allCategories")}</option>
              {categories.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.name}
                </option>
              ))}
            </select>
            <ErrorList id={errorId("category")} errors={fieldErrors.category} />
          </div>
          <SubmitButton pending={navigation.state === "loading"}>{t("dashboard.show")}</SubmitButton>
        </div>
        <p id="dash-dates-hint" className="hint">
          {t("dashboard.datesHint")}
        </p>
      </Form>

      {dashboard && scope ? (
        <>
          <p className="dash-scope" data-testid="dash-scope">
            {t("dashboard.scope", { from: scope.from, to: scope.to, days: scope.days, category: scope.categoryName ?? t("dashboard.allCategories").toLowerCase(), previousFrom: scope.previousFrom, previousTo: scope.previousTo })}{" "}
            <a href={exportHref("daily")} download>
              {t("dashboard.downloadDaily")}
            </a>
          </p>

          <section aria-labelledby="dash-questions">
            <h2 id="dash-questions">{t("dashboard.questionsHeading")}</h2>
            <dl className="dash-figures">
              {figures.filter((f) => QUESTION_FIGURES.includes(f.key)).map((f) => (
                <FigureCard key={f.key} figure={f} />
              ))}
            </dl>
          </section>

          <section aria-labelledby="dash-reach">
            <h2 id="dash-reach">{t("dashboard.reachHeading")}</h2>
            <dl className="dash-figures">
              {figures.filter((f) => !QUESTION_FIGURES.includes(f.key)).map((f) => (
                <FigureCard key={f.key} figure={f} />
              ))}
            </dl>
          </section>
          {support ? <SupportMetricsSection metrics={support} csvHref={(name) => exportHref(name as ExportName)} /> : null}

          <section aria-labelledby="dash-charts">
            <h2 id="dash-charts">{t("dashboard.chartsHeading")}</h2>
            <div className="dash-grid">
              <ChartFigure
                id="volume"
                title={t("dashboard.chart.volume", { bucket })}
                summary={t("dashboard.chart.volumeSummary", { asked: dashboard.series.reduce((s, p) => s + p.asked, 0), resolved: dashboard.series.reduce((s, p) => s + p.resolutions, 0), count: dashboard.series.length, bucket })}
                toggleLabel={t("dashboard.chart.tableToggle")}
                tableLink={seriesLink}
              >
                <LinesChart data={dashboard.series} x="bucket" series={[{ key: "asked", label: t("dashboard.chart.askedColumn") }, { key: "resolutions", label: t("dashboard.chart.resolvedColumn") }]} />
              </ChartFigure>
              <ChartFigure
                id="ttfa"
                title={t("dashboard.chart.ttfa", { bucket })}
                summary={t("dashboard.chart.ttfaSummary", { bucket })}
                toggleLabel={t("dashboard.chart.tableToggle")}
                tableLink={seriesLink}
              >
                <LinesChart data={dashboard.series} x="bucket" series={[{ key: "ttfaMedianHours", label: t("dashboard.chart.hoursColumn") }]} />
              </ChartFigure>
              <ChartFigure
                id="deflection"
                title={t("dashboard.chart.deflection", { bucket })}
                summary={t("dashboard.chart.deflectionSummary", { bucket })}
                toggleLabel={t("dashboard.chart.tableToggle")}
                tableLink={seriesLink}
              >
                <LinesChart data={dashboard.series.map((p) => ({ bucket: p.bucket, deflection: p.deflection === null ? null : Math.round(p.deflection * 1000) / 10 }))} x="bucket" series={[{ key: "deflection", label: t("dashboard.chart.deflectionColumn") }]} />
              </ChartFigure>
              <ChartFigure
                id="helpfulness"
                title={t("dashboard.chart.helpfulness")}
                summary={t("dashboard.chart.helpfulnessSummary", { count: dashboard.articles.all.length })}
                toggleLabel={t("dashboard.chart.tableToggle")}
                table={
                  <Table
                    caption={t("dashboard.chart.helpfulness")}
                    head={[t("dashboard.col.article"), t("dashboard.col.yes"), t("dashboard.col.votes"), t("dashboard.col.yesShare")]}
                    rows={dashboard.articles.all.map((a) => [a.title, a.yes, a.votes, pct(a.yesShare)])}
                    empty={t("dashboard.empty")}
                  />
                }
              >
                <BarsChart data={dashboard.articles.all.map((a) => ({ title: a.title.length > 24 ? `${a.title.slice(0, 23)}…` : a.title, yesPercent: Math.round(a.yesShare * 1000) / 10 }))} x="title" series={[{ key: "yesPercent", label: t("dashboard.col.yesShare") }]} />
              </ChartFigure>
            </div>
            <section className="card" aria-labelledby="dash-series">
              <div className="dash-card-head">
                <h3 id="dash-series">{t("dashboard.chart.seriesTable", { bucket })}</h3>
                {download("daily", t("dashboard.chart.seriesTable", { bucket }))}
              </div>
              <p className="muted">{t("dashboard.chart.seriesTableHint")}</p>
              {/* Collapsed by default: a long table of days pushed the queues below it out of sight. */}
              <div className="series-table" data-testid="series-table">
                <a
                  className="series-table__toggle"
                  href={seriesTable.href}
                  aria-expanded={seriesTable.open}
                  aria-controls={seriesTable.open ? "series-table-body" : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    seriesTable.setOpened(!seriesTable.open);
                  }}
                >
                  {t("frontdoor.showSeriesTable", { count: dashboard.series.length })}
                </a>
                {seriesTable.open ? (
                  <div id="series-table-body">
                    <Table
                      caption={t("dashboard.chart.seriesTable", { bucket })}
                      head={[t("dashboard.chart.bucketColumn"), t("dashboard.chart.askedColumn"), t("dashboard.chart.resolvedColumn"), t("dashboard.chart.hoursColumn"), t("dashboard.chart.sessionsColumn"), t("dashboard.chart.deflectedColumn"), t("dashboard.chart.deflectionColumn")]}
                      rows={dashboard.series.map((p) => [p.bucket, p.asked, p.resolutions, p.ttfaMedianHours ?? t("dashboard.noValue"), p.searchSessions, p.deflectedSessions, pct(p.deflection)])}
                    />
                  </div>
                ) : null}
              </div>
            </section>
          </section>

          <section aria-labelledby="dash-tables">
            <h2 id="dash-tables">{t("dashboard.tablesHeading")}</h2>
            <div className="dash-grid">
              <section className="card" aria-labelledby="dash-unanswered">
                <div className="dash-card-head">
                  <h3 id="dash-unanswered">{t("dashboard.unansweredQueue")}</h3>
                  {download("unanswered", t("dashboard.unansweredQueue"))}
                </div>
                <Table
                  caption={t("dashboard.unansweredQueue")}
                  head={[t("dashboard.col.question"), t("dashboard.col.category"), t("dashboard.col.asked")]}
                  rows={dashboard.unanswered.items.map((q) => [<Link key={q.id} to={`/questions/${q.id}/${q.slug}`}>{q.title}</Link>, q.category, q.askedAt.slice(0, 16).replace("T", " ")])}
                  empty={t("dashboard.empty")}
                />
                {dashboard.unanswered.total > dashboard.unanswered.items.length ? <p className="muted">{t("dashboard.unansweredMore", { shown: dashboard.unanswered.items.length, total: dashboard.unanswered.total })}</p> : null}
              </section>
              <section className="card" aria-labelledby="dash-zero">
                <div className="dash-card-head">
                  <h3 id="dash-zero">{t("dashboard.zeroResults")}</h3>
                  {download("zero-results", t("dashboard.zeroResults"))}
                </div>
                <Table caption={t("dashboard.zeroResults")} head={[t("dashboard.col.query"), t("dashboard.col.count")]} rows={dashboard.zeroResults.map((z) => [z.query, z.count])} empty={t("dashboard.empty")} />
              </section>
              <section className="card" aria-labelledby="dash-worst">
                <div className="dash-card-head">
                  <h3 id="dash-worst">{t("dashboard.worstArticles")}</h3>
                  {download("articles", t("dashboard.worstArticles"))}
                </div>
                <Table
                  caption={t("dashboard.worstArticles")}
                  head={[t("dashboard.col.article"), t("dashboard.col.yes"), t("dashboard.col.votes"), t("dashboard.col.yesShare")]}
                  rows={dashboard.articles.worst.map((a) => [a.title, a.yes, a.votes, pct(a.yesShare)])}
                  empty={t("dashboard.empty")}
                />
              </section>
              <section className="card" aria-labelledby="dash-topics">
                <div className="dash-card-head">
                  <h3 id="dash-topics">{t("dashboard.topics")}</h3>
                  {download("topics", t("dashboard.topics"))}
                </div>
                {dashboard.topics.computedAt ? <p className="muted">{t("dashboard.topicsComputed", { date: intl.date(dashboard.topics.computedAt) })}</p> : null}
                <Table caption={t("dashboard.topics")} head={[t("dashboard.col.topic"), t("dashboard.col.threads"), t("dashboard.col.views")]} rows={dashboard.topics.topics.map((tp) => [tp.label, tp.threadCount, tp.views])} empty={t("dashboard.empty")} />
              </section>
              <section className="card" aria-labelledby="dash-experts">
                <div className="dash-card-head">
                  <h3 id="dash-experts">{t("dashboard.experts")}</h3>
                  {download("experts", t("dashboard.experts"))}
                </div>
                <Table
                  caption={t("dashboard.experts")}
                  head={[t("dashboard.col.member"), t("dashboard.col.accepted"), t("dashboard.col.reputation")]}
                  rows={dashboard.experts.map((e) => [<UserName key={e.handle} user={e} />, e.acceptedAnswers, e.reputation])}
                  empty={t("dashboard.empty")}
                />
              </section>
            </div>
          </section>
        </>
      ) : null}
    </Page>
  );
}
