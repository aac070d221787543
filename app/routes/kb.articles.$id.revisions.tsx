import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { RevisionList } from "~/components/revision-list.tsx";
import { withWordDiffs } from "~/modules/content/revision-diff.ts";
import { getArticleRevisions } from "~/modules/kb/kb-queries.server.ts";
import { canReadArticle } from "~/modules/kb/kb.policy.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { invariantResponse } from "~/utils/http.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data ? pageTitle(matches, "i18n.title.revisions", { title: data.article.title }) : pageTitle(matches, "errors.notFoundTitle") }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = IdParam.safeParse(params.id ?? "");
  invariantResponse(id.success, "messages.common.noSuchArticle", 404);
  const found = await getArticleRevisions(id.data);
  // Drafts and archived articles answer 404 to people who cannot read them, not 403.
  invariantResponse(found && canReadArticle(await getCurrentUser(request), found.article), "messages.common.noSuchArticle", 404);
  return json({ article: found.article, revisions: withWordDiffs(found.revisions) });
}

export default function ArticleRevisionsRoute() {
  const { t } = useTranslation();
  const { article, revisions } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("questions.revisions")}</h1>
      <p>
        <Link to={article.path}>{article.title}</Link>
      </p>
      <RevisionList revisions={revisions} />
    </Page>
  );
}
