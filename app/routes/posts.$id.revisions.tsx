import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { RevisionList } from "~/components/revision-list.tsx";
import { withWordDiffs } from "~/modules/content/revision-diff.ts";
import { getRevisions } from "~/modules/questions/questions-queries.server.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { invariantResponse } from "~/utils/http.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data ? pageTitle(matches, "i18n.title.revisions", { title: data.thread.title }) : pageTitle(matches, "errors.notFoundTitle") }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = IdParam.safeParse(params.id ?? "");
  invariantResponse(id.success, "messages.common.noSuchPost", 404);
  // A hidden or deleted post answers the same 404 as a missing one to whoever cannot see it.
  const found = await getRevisions(id.data, await getCurrentUser(request));
  invariantResponse(found, "messages.common.noSuchPost", 404);
  // Each revision is shown with a word diff against the one before it (titles too, for questions).
  return json({ thread: { id: found.post.thread.id.toString(), slug: found.post.thread.slug, title: found.post.thread.title }, revisions: withWordDiffs(found.revisions) });
}

export default function RevisionsRoute() {
  const { t } = useTranslation();
  const { thread, revisions } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("questions.revisions")}</h1>
      <p>
        <Link to={`/questions/${thread.id}/${thread.slug}`}>{thread.title}</Link>
      </p>
      <RevisionList revisions={revisions} />
    </Page>
  );
}
