import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { NextPageLink, ThreadList } from "~/components/thread-list.tsx";
import { WatchButton } from "~/components/watch-button.tsx";
import { isWatching } from "~/modules/notifications/watch-queries.server.ts";
import { findTagByName, listThreads } from "~/modules/questions/questions-queries.server.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { invariantResponse } from "~/utils/http.server.ts";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { canonicalPath } from "~/modules/seo/seo-urls.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches, location }) =>
  data
    ? seoMeta({
        matches,
        title: metaT(matches)("i18n.title.tagged", { tag: data.tag }),
        documentTitle: pageTitle(matches, "i18n.title.tagged", { tag: data.tag }),
        description: `Questions and answers tagged ${data.tag}.`,
        path: canonicalPath(`/tags/${data.tag}`, location.search, ["after"]),
        feeds: [{ title: `Questions tagged ${data.tag}`, path: `/feeds/tags/${data.tag}` }],
      })
    : [{ title: pageTitle(matches, "errors.notFoundTitle") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tag = await findTagByName((params.name ?? "").toLowerCase());
  invariantResponse(tag, "messages.common.noSuchTag", 404);
  const user = await getCurrentUser(request);
  const [page, watching] = await Promise.all([
    listThreads({ filter: "all", sort: "active", tagId: tag.id, cursor: new URL(request.url).searchParams.get("after") }),
    user ? isWatching(user.id, "tag", tag.id) : null,
  ]);
  return json({ tag: tag.name, tagId: String(tag.id), watching, ...page, now: Date.now() });
}

export default function TagRoute() {
  const { t } = useTranslation();
  const { tag, tagId, watching, items, nextCursor, now } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("questions.tagged", { tag })}</h1>
      {watching !== null ? (
        <div className="page-watch">
          <WatchButton targetType="tag" targetId={tagId} name={tag} watching={watching} />
        </div>
      ) : null}
      <ThreadList items={items} now={now} />
      <NextPageLink to={nextCursor ? `?after=${nextCursor}` : null} />
    </Page>
  );
}
