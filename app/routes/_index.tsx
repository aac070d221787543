import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { metaT } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) =>
  seoMeta({
    matches,
    title: `${metaT(matches)("site.name")}: ${metaT(matches)("site.tagline")}`,
    documentTitle: `${metaT(matches)("site.name")}: ${metaT(matches)("site.tagline")}`,
    description: metaT(matches)("home.lead"),
    path: "/",
    feeds: [{ title: "Latest questions", path: "/feeds/questions" }],
  });

export default function Index() {
  const { t } = useTranslation();
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <div className="container">
          <h1 id="hero-title">{t("home.title")}</h1>
          <p>{t("home.lead")}</p>
          <div className="actions">
            <Link to="/questions" className="button">
              {t("home.ask")}
            </Link>
            <Link to="/kb" className="button secondary">
              {t("home.kb")}
            </Link>
          </div>
        </div>
      </section>
      <section className="container page" aria-labelledby="steps-title">
        <h2 id="steps-title">{t("home.steps.heading")}</h2>
        <ol className="grid-3" style={{ listStyle: "none", padding: 0 }}>
          {(["ask", "answer", "resolve"] as const).map((step, i) => (
            <li key={step} className="card">
              <span className="step-number" aria-hidden="true">
                {i + 1}
              </span>
              <h3>{t(`home.steps.${step}`)}</h3>
              <p className="muted">{t(`home.steps.${step}Text`)}</p>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
