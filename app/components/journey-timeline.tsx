import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

type Step = { at: string; kind: string; label: string; count: number | null; href: string | null; detail: string | null; run: number; seconds: number | null; secondsReported: boolean };

/** Time on page: what the browser reported (ADR 072) to the second, else the estimate as "about N min". */
function TimeOnPage({ seconds, reported }: { seconds: number; reported: boolean }) {
  const { t } = useTranslation();
  if (!reported) return <span data-time="estimate">{t("support.journey.time", { minutes: Math.max(1, Math.round(seconds / 60)) })}</span>;
  const text = seconds < 60 ? t("timeOnPage.seconds", { seconds }) : t("timeOnPage.minutes", { minutes: Math.floor(seconds / 60), seconds: seconds % 60 });
  return (
    <span data-time="reported" data-seconds={seconds}>
      {text}
    </span>
  );
}

/** A journey on one timeline (issue 20): each run of activity, its steps, result counts and the time spent. */
export function JourneyTimeline({ steps }: { steps: Step[] }) {
  const { t } = useTranslation();
  if (steps.length === 0) return <p className="muted">{t("support.journey.empty")}</p>;
  const runs = new Map<number, Step[]>();
  for (const s of steps) runs.set(s.run, [...(runs.get(s.run) ?? []), s]);
  return (
    <ol className="journey" data-testid="journey">
      {[...runs.entries()].map(([run, items]) => (
        <li key={run}>
          <h3 className="muted">{t("support.journey.run", { n: run, at: items[0]!.at.slice(0, 16).replace("T", " ") })}</h3>
          <ul>
            {items.map((s, i) => (
              <li key={`${s.at}-${i}`} data-kind={s.kind}>
                <time dateTime={s.at}>{s.at.slice(11, 16)}</time> {t(`support.journey.kind.${s.kind}`, { defaultValue: s.kind })}{" "}
                {s.href ? <Link to={s.href}>{s.label}</Link> : <q>{s.label}</q>}
                {s.kind === "search" && s.count !== null ? ` · ${t("support.journey.results", { count: s.count })}` : null}
                {s.kind === "feedback" ? ` · ${t(s.detail === "yes" ? "support.journey.helpful" : "support.journey.notHelpful")}` : null}
                {s.seconds !== null && (s.kind === "thread_view" || s.kind === "article_view") ? (
                  <>
                    {" · "}
                    <TimeOnPage seconds={s.seconds} reported={s.secondsReported} />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
