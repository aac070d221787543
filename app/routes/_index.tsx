import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
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

/** One block of the home page: a titled section with a link to its full list. */
function HomeSection({ id, title, to, linkLabel, card = false, children }: { id: string; title: string; to: string; linkLabel: string; card?: boolean; children: ReactNode }) {
  return (
    <section className={card ? "card" : undefined} aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <Link to={to}>{linkLabel}</Link>
      </div>
      {children}
    </section>
  );
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
        <HomeSection id="categories" title={t("frontdoor.categories")} to="/categories" linkLabel={t("frontdoor.allCategories")}>
          <CategoryCards categories={categories} now={now} />
        </HomeSection>
        <div className="home-columns">
          <HomeSection id="latest" title={t("frontdoor.latest")} to="/questions" linkLabel={t("frontdoor.allQuestions")} card>
            <CompactThreadList items={latest} now={now} empty={t("questions.empty")} testId="home-latest" />
          </HomeSection>
          <HomeSection id="unanswered" title={t("frontdoor.unanswered")} to="/questions?filter=unanswered" linkLabel={t("frontdoor.allUnanswered")} card>
            <CompactThreadList items={unanswered} now={now} empty={t("frontdoor.noUnanswered")} testId="home-unanswered" />
          </HomeSection>
          <HomeSection id="popular" title={t("frontdoor.popular")} to="/questions?filter=resolved&sort=votes" linkLabel={t("frontdoor.allResolved")} card>
            <CompactThreadList items={popular} now={now} empty={t("questions.empty")} testId="home-popular" />
          </HomeSection>
          <HomeSection id="articles" title={t("frontdoor.articles")} to="/kb" linkLabel={t("frontdoor.allArticles")} card>
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
          </HomeSection>
        </div>
      </div>
    </>
  );
}
