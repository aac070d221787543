import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam } from "~/modules/api/api.schema.ts";
import { presentArticle } from "~/modules/api/present-kb-support.server.ts";
import { getArticlePageById } from "~/modules/kb/kb-queries.server.ts";
import { canManageArticles, canReadArticle } from "~/modules/kb/kb.policy.ts";
import { notFound, ok } from "~/utils/http.server.ts";

/** GET /api/v1/articles/{id}: one article; a draft or archived one is "not found" to anyone who may not read it (as the page). */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiEndpoint(request, params, { needs: "read" }, async ({ principal, origin }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    const article = await getArticlePageById(BigInt(id.data.id));
    const actor = principal?.member ?? null;
    if (!article || !canReadArticle(actor, article)) return notFound("messages.common.articleMissing");
    return ok(presentArticle(origin, article, canManageArticles(actor)));
  });
}
