import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { metaT } from "~/utils/meta.ts";
import { CategoryCards, CompactThreadList } from "~/components/community.tsx";
import { getHomePage } from "~/modules/community/community-queries.server.ts";

export const meta: MetaFunction = ({ matches }) =>
  seoMeta({
    matches,
    title: `${metaT(matches)("site.name")}: ${metaT(matches)("site.tagline")}`,
    documentTitle: `${metaT(matches)("site.name")}: ${metaT(matches)("site.tagline")}`,
    description: metaT(matches)("home.lead"),
    path: "/",
    feeds: [{ title: "Latest questions", path: "/feeds/questions" }],
  });

/** The community's front door: an anonymous-cache page (ADR 025) built from one statement (ADR 051). */
export async function loader() {
  return json({ ...(await getHomePage()), now: Date.now() });
}

export default function Index() {
  const { t } = useTranslation();
  const { categories, latest, unanswered, popular, articles, now } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero home-hero" aria-labelledby="hero-title">
        <div className="container">
          <h1 id="hero-title">{t("home.title")}</h1>
          <p>{t("home.lead")}</p>
          {/* One field, two answers: search what exists, or ask with the text as the question's title. */}
          <Form method="get" action="/search" className="home-search" role="search" aria-label={t("frontdoor.searchLabel")}>
            <label htmlFor="home-q" className="visually-hidden">
              {t("frontdoor.searchLabel")}
            </label>
            <input id="home-q" type="search" name="q" placeholder={t("frontdoor.searchPlaceholder")} maxLength={500} />
            <button type="submit" className="button">
              {t("search.header.submit")}
            </button>
            <button type="submit" className="button secondary" formAction="/questions/new">
              {t("frontdoor.ask")}
            </button>
          </Form>
        </div>
      </section>
      <div className="container page home">
        <section aria-labelledby="categories-title">
          <div className="section-head">
            <h2 id="categories-title">{t("frontdoor.categories")}</h2>
            <Link to="/categories">{t("frontdoor.allCategories")}</Link>
          </div>
          <CategoryCards categories={categories} now={now} />
        </section>
        <div className="home-columns">
          <section className="card" aria-labelledby="latest-title">
            <div className="section-head">
              <h2 id="latest-title">{t("frontdoor.latest")}</h2>
              <Link to="/questions">{t("frontdoor.allQuestions")}</Link>
            </div>
            <CompactThreadList items={latest} now={now} empty={t("questions.empty")} testId="home-latest" />
          </section>
          <section className="card" aria-labelledby="unanswered-title">
            <div className="section-head">
              <h2 id="unanswered-title">{t("frontdoor.unanswered")}</h2>
              <Link to="/questions?filter=unanswered">{t("frontdoor.allUnanswered")}</Link>
            </div>
            <CompactThreadList items={unanswered} now={now} empty={t("frontdoor.noUnanswered")} testId="home-unanswered" />
          </section>
          <section className="card" aria-labelledby="popular-title">
            <div className="section-head">
              <h2 id="popular-title">{t("frontdoor.popular")}</h2>
              <Link to="/questions?filter=resolved&sort=votes">{t("frontdoor.allResolved")}</Link>
            </div>
            <CompactThreadList items={popular} now={now} empty={t("questions.empty")} testId="home-popular" />
          </section>
          <section className="card" aria-labelledby="articles-title">
            <div className="section-head">
              <h2 id="articles-title">{t("frontdoor.articles")}</h2>
              <Link to="/kb">{t("frontdoor.allArticles")}</Link>
            </div>
            {articles.length === 0 ? (
              <p className="muted">{t("frontdoor.noArticles")}</p>
            ) : (
              <ol className="compact-threads" data-testid="home-articles">
                {articles.map((a) => (
                  <li key={a.id}>
                    <h3 className="compact-thread-title">
                      <Link to={a.path}>{a.title}</Link>
                    </h3>
                    <p className="muted compact-thread-meta">
                      {a.category} · {t("frontdoor.foundHelpful", { count: a.helpfulYes })}
                    </p>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
      </div>
    </>
  );
}
