import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "~/components/layout.tsx";
import { NextPageLink, ThreadList } from "~/components/thread-list.tsx";
import { findCategoryBySlug, listThreads } from "~/modules/questions/questions-queries.server.ts";
import { invariantResponse } from "~/utils/http.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.category.name} | Threadwise` : "Not found | Threadwise" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const category = await findCategoryBySlug(params.slug ?? "");
  invariantResponse(category, "No such category", 404);
  const page = await listThreads({ filter: "all", sort: "active", categoryId: category.id, cursor: new URL(request.url).searchParams.get("after") });
  return json({ category: { name: category.name, description: category.description, slug: category.slug }, ...page, now: Date.now() });
}

export default function CategoryRoute() {
  const { category, items, nextCursor, now } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{category.name}</h1>
      {category.description ? <p className="muted">{category.description}</p> : null}
      <ThreadList items={items} now={now} />
      <NextPageLink to={nextCursor ? `?after=${nextCursor}` : null} />
    </Page>
  );
}
