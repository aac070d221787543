import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { SearchQuery } from "~/modules/api/api.schema.ts";
import { searchPage } from "~/modules/search/search-queries.server.ts";
import { SearchParams } from "~/modules/search/search.schema.ts";
import { ok } from "~/utils/http.server.ts";

const text = (parts: { text: string }[]) => parts.map((p) => p.text).join("");

/** GET /api/v1/search?q=: the search page's results (threads and articles), 20 a page. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiEndpoint(request, params, { needs: "read", query: SearchQuery }, async ({ query, origin }) => {
    const parsed = SearchParams.safeParse({ q: query.q, type: query.type, page: query.page });
    if (!parsed.success) return { ok: false, kind: "invalid", fieldErrors: parsed.error.flatten().fieldErrors as Record<string, string[]> };
    const page = await searchPage(parsed.data);
    if (page.status !== "ok") return ok({ status: page.status, total: 0, page: 1, pageCount: 0, items: [] });
    return ok({
      status: "ok", total: page.total, page: page.page, pageCount: page.pageCount,
      items: page.items.map((item) => ({ type: item.type, id: item.docKey.split(":")[1]!, title: text(item.title), url: origin + item.url, snippet: text(item.snippet) })),
    });
  });
}
