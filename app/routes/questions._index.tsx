import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { NextPageLink, ThreadList } from "~/components/thread-list.tsx";
import { listThreads } from "~/modules/questions/questions-queries.server.ts";
import { FILTERS, ListParams, SORTS } from "~/modules/questions/questions.schema.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { canonicalPath } from "~/modules/seo/seo-urls.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

// The canonical list keeps its filter and page, and drops sort orders and tracking parameters.
export const meta: MetaFunction = ({ matches, location }) =>
  seoMeta({
    matches,
    title: metaT(matches)("questions.title"),
    documentTitle: pageTitle(matches, "questions.title"),
    description: "Questions from the community, with answers from members and support staff.",
    path: canonicalPath(location.pathname, location.search, ["filter", "after"]),
    feeds: [{ title: "Latest questions", path: "/feeds/questions" }],
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // An unknown filter or sort (an old link, a typo) shows the default list rather than an error page.
  const { filter, sort } = ListParams.parse({ filter: url.searchParams.get("filter") ?? undefined, sort: url.searchParams.get("sort") ?? undefined });
  const viewer = filter === "mine" ? await getCurrentUser(request) : null;
  const page = await listThreads({ filter, sort, viewerId: viewer?.id ?? null, cursor: url.searchParams.get("after") });
  return json({ ...page, filter, sort, now: Date.now() });
}

export default function QuestionsRoute() {
  const { t } = useTranslation();
  const { items, nextCursor, filter, sort, now } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const link = (change: Record<string, string>) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    for (const [k, v] of Object.entries(change)) next.set(k, v);
    return `?${next.toString()}`;
  };
  return (
    <Page>
      <div className="page-head">
        <h1>{t("questions.title")}</h1>
        <Link to="/questions/new" className="button">
          {t("questions.ask")}
        </Link>
      </div>
      <nav aria-label={t("questions.filters")}>
        <ul className="tabs">
          {FILTERS.map((f) => (
            <li key={f}>
              <Link to={link({ filter: f })} aria-current={f === filter ? "page" : undefined}>
                {t(`questions.filter.${f}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <nav aria-label={t("questions.sorts")}>
        <ul className="tabs">
          {SORTS.map((s) => (
            <li key={s}>
              <Link to={link({ sort: s })} aria-current={s === sort ? "page" : undefined}>
                {t(`questions.sort.${s}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ThreadList items={items} now={now} />
      <NextPageLink to={nextCursor ? link({ after: nextCursor }) : null} />
    </Page>
  );
}
