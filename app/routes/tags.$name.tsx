import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { NextPageLink, ThreadList } from "~/components/thread-list.tsx";
import { findTagByName, listThreads } from "~/modules/questions/questions-queries.server.ts";
import { invariantResponse } from "~/utils/http.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Questions tagged ${data.tag} | Threadwise` : "Not found | Threadwise" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tag = await findTagByName((params.name ?? "").toLowerCase());
  invariantResponse(tag, "No such tag", 404);
  const page = await listThreads({ filter: "all", sort: "active", tagId: tag.id, cursor: new URL(request.url).searchParams.get("after") });
  return json({ tag: tag.name, ...page, now: Date.now() });
}

export default function TagRoute() {
  const { t } = useTranslation();
  const { tag, items, nextCursor, now } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("questions.tagged", { tag })}</h1>
      <ThreadList items={items} now={now} />
      <NextPageLink to={nextCursor ? `?after=${nextCursor}` : null} />
    </Page>
  );
}
