import type { ActionFunctionArgs } from "@remix-run/node";
import { ArticleStatusBody } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam } from "~/modules/api/api.schema.ts";
import { archiveArticle, publishArticle } from "~/modules/kb/change-article-status.server.ts";
import { notFound, ok } from "~/utils/http.server.ts";

/** POST /api/v1/articles/{id}/status: publish or archive, as the article page's staff tools (staff and moderators). */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: ArticleStatusBody }, async ({ principal, body }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    const change = body.status === "published" ? publishArticle : archiveArticle;
    // Only the status: a retry (Idempotency-Key) gets the same answer though the second call changed nothing.
    const result = await change(principal!.member.id, BigInt(id.data.id));
    return result.ok ? ok({ status: result.value.status }) : result;
  });
}
