import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { getKbHome } from "~/modules/kb/kb-queries.server.ts";
import { canManageArticles } from "~/modules/kb/kb.policy.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";
import { contentLanguage } from "~/modules/content/content-language.server.ts";
import { langAttr } from "~/modules/content/content-lang.ts";

export const meta: MetaFunction = ({ matches }) =>
  seoMeta({
    matches,
    title: metaT(matches)("kb.title"),
    documentTitle: pageTitle(matches, "kb.title"),
    description: metaT(matches)("kb.lead"),
    path: "/kb",
    feeds: [{ title: "Knowledge base", path: "/feeds/kb" }],
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const manage = canManageArticles(user);
  const categories = (await getKbHome({ includeDrafts: manage })).map((c) => ({
    ...c,
    lang: contentLanguage(`${c.name} ${c.description ?? ""}`),
    articles: c.articles.map((a) => ({ ...a, lang: contentLanguage(a.title) })),
  }));
  return json({ categories, can: { manage } });
}

export default function KnowledgeBaseRoute() {
  const { t, i18n } = useTranslation();
  const { categories, can } = useLoaderData<typeof loader>();
  return (
    <Page>
      <div className="page-heading">
        <h1>{t("kb.title")}</h1>
        {can.manage ? (
          <nav aria-label={t("kb.staffTools")} className="kb-tools">
            <Link className="button small" to="/kb/new">
              {t("kb.newArticle")}
            </Link>
            <Link className="button secondary small" to="/kb/review">
              {t("kb.review.title")}
            </Link>
            <Link className="button secondary small" to="/kb/recurring">
              {t("kb.recurring.title")}
            </Link>
          </nav>
        ) : null}
      </div>
      <p className="muted">{t("kb.lead")}</p>
      {categories.length === 0 ? <p className="card">{t("kb.empty")}</p> : null}
      <div className="kb-categories">
        {categories.map((c) => (
          <section key={c.slug} className="card" aria-labelledby={`kb-cat-${c.slug}`}>
            <h2 id={`kb-cat-${c.slug}`} lang={langAttr(c.lang, i18n.language)}>
              {c.name}
            </h2>
            {c.description ? (
              <p className="muted" lang={langAttr(c.lang, i18n.language)}>
                {c.description}
              </p>
            ) : null}
            <ul className="kb-article-list">
              {c.articles.map((a) => (
                <li key={a.id}>
                  <Link to={a.path} lang={langAttr(a.lang, i18n.language)}>
                    {a.title}
                  </Link>
                  {a.status !== "published" ? <span className="badge"> {t(`kb.status.${a.status}`)}</span> : null}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Page>
  );
}
