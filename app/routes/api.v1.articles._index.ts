import type { LoaderFunctionArgs } from "@remix-run/node";
import { ListArticlesQuery } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { presentArticleListItem } from "~/modules/api/present-kb-support.server.ts";
import { listArticles } from "~/modules/kb/kb-queries.server.ts";
import { ok } from "~/utils/http.server.ts";

/** GET /api/v1/articles: knowledge-base articles by keyset cursor; drafts and archived ones for staff and moderators only. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiEndpoint(request, params, { needs: "read", query: ListArticlesQuery }, async ({ principal, query, origin }) => {
    const page = await listArticles(principal?.member ?? null, { status: query.status, categorySlug: query.category, cursor: query.cursor });
    return page.ok ? ok({ items: page.value.items.map((a) => presentArticleListItem(origin, a)), nextCursor: page.value.nextCursor }) : page;
  });
}
