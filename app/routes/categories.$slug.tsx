import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Avatar } from "~/components/avatar.tsx";
import { Page } from "~/components/layout.tsx";
import { NextPageLink, ThreadList } from "~/components/thread-list.tsx";
import { WatchButton } from "~/components/watch-button.tsx";
import { listCategoryExperts } from "~/modules/community/community-queries.server.ts";
import { isWatching } from "~/modules/notifications/watch-queries.server.ts";
import { findCategoryBySlug, listThreads } from "~/modules/questions/questions-queries.server.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { invariantResponse } from "~/utils/http.server.ts";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { canonicalPath } from "~/modules/seo/seo-urls.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches, location }) =>
  data
    ? seoMeta({
        matches,
        title: data.category.name,
        documentTitle: pageTitle(matches, { text: data.category.name }),
        description: data.category.description || `Questions and answers about ${data.category.name}.`,
        path: canonicalPath(`/categories/${data.category.slug}`, location.search, ["after"]),
        feeds: [{ title: data.category.name, path: `/feeds/categories/${data.category.slug}` }],
      })
    : [{ title: pageTitle(matches, "errors.notFoundTitle") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const category = await findCategoryBySlug(params.slug ?? "");
  invariantResponse(category, "messages.common.noSuchCategory", 404);
  const user = await getCurrentUser(request);
  const [page, watching, experts] = await Promise.all([
    listThreads({ filter: "all", sort: "active", categoryId: category.id, cursor: new URL(request.url).searchParams.get("after") }),
    user ? isWatching(user.id, "category", category.id) : null,
    listCategoryExperts(category.id),
  ]);
  return json({ category: { id: String(category.id), name: category.name, description: category.description, slug: category.slug }, watching, experts, ...page, now: Date.now() });
}

export default function CategoryRoute() {
  const { t } = useTranslation();
  const { category, watching, experts, items, nextCursor, now } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{category.name}</h1>
      {watching !== null ? (
        <div className="page-watch">
          <WatchButton targetType="category" targetId={category.id} name={category.name} watching={watching} />
        </div>
      ) : null}
      {category.description ? <p className="muted">{category.description}</p> : null}
      <section className="card category-experts" aria-labelledby="experts-heading">
        <h2 id="experts-heading">{t("frontdoor.experts", { category: category.name })}</h2>
        {experts.length === 0 ? (
          <p className="muted">{t("frontdoor.expertsNone")}</p>
        ) : (
          <ul className="expert-list" data-testid="category-experts">
            {experts.map((e) => (
              <li key={e.handle}>
                <Avatar handle={e.handle} name={e.displayName} avatarKey={e.avatarKey} size={32} />
                <span>
                  <Link to={`/u/${e.handle}`}>{e.displayName}</Link> <span className="muted">{t("frontdoor.reputation", { count: e.reputation })}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <ThreadList items={items} now={now} />
      <NextPageLink to={nextCursor ? `?after=${nextCursor}` : null} />
    </Page>
  );
}
