import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

type Metrics = {
  tickets: number;
  questions: number;
  escalationRate: number | null;
  bySource: { source: string; outcome: string; tickets: number }[];
  firstResponse: { median: number | null; p90: number | null };
  resolution: { median: number | null; p90: number | null };
  verified: { decided: number; verified: number; rate: number | null };
  deflection: { journeys: number; deflected: number; rate: number | null };
};

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
const hours = (v: number | null) => (v === null ? "—" : `${(v / 3600).toFixed(1)} h`);

/** The dashboard's escalation figures (issue 20), each with its CSV (docs/metrics.md has the SQL). */
export function SupportMetricsSection({ metrics, csvHref }: { metrics: Metrics; csvHref: (name: string) => string }) {
  const { t } = useTranslation();
  const csv = (name: string) => (
    <a href={csvHref(name)} download className="muted">
      {t("support.metrics.csv")}
    </a>
  );
  return (
    <section aria-labelledby="dash-support" data-testid="support-metrics">
      <h2 id="dash-support">{t("support.metrics.title")}</h2>
      <p>
        <Link to="/support">{t("support.queue.title")}</Link>
      </p>
      <dl className="dash-figures">
        <div className="card">
          <dt>{t("support.metrics.escalationRate")}</dt>
          <dd>
            {pct(metrics.escalationRate)} ({metrics.tickets} / {metrics.questions}) {csv("escalation-rate")}
          </dd>
        </div>
        <div className="card">
          <dt>{t("support.metrics.firstResponse")}</dt>
          <dd>
            {hours(metrics.firstResponse.median)} / {hours(metrics.firstResponse.p90)} {csv("ticket-times")}
          </dd>
        </div>
        <div className="card">
          <dt>{t("support.metrics.resolution")}</dt>
          <dd>
            {hours(metrics.resolution.median)} / {hours(metrics.resolution.p90)}
          </dd>
        </div>
        <div className="card">
          <dt>{t("support.metrics.verifiedRate")}</dt>
          <dd>
            {pct(metrics.verified.rate)} ({metrics.verified.verified} / {metrics.verified.decided}) {csv("verified-resolution")}
          </dd>
        </div>
        <div className="card">
          <dt>{t("support.metrics.deflection")}</dt>
          <dd>
            {pct(metrics.deflection.rate)} ({metrics.deflection.deflected} / {metrics.deflection.journeys}) {csv("journey-deflection")}
          </dd>
          <dd className="muted">{t("support.metrics.deflectionNote")}</dd>
        </div>
      </dl>
      <h3>
        {t("support.metrics.bySource")} {csv("tickets-by-source")}
      </h3>
      <ul>
        {metrics.bySource.map((r) => (
          <li key={`${r.source}-${r.outcome}`}>
            {t(`support.source.${r.source}`)} · {r.outcome === "none" ? t("support.metrics.unsolved") : t(`support.outcome.${r.outcome}`)}: {r.tickets}
          </li>
        ))}
      </ul>
    </section>
  );
}
