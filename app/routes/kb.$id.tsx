import type { LoaderFunctionArgs } from "@remix-run/node";
import { getArticleAddress } from "~/modules/kb/kb-queries.server.ts";
import { canReadArticle } from "~/modules/kb/kb.policy.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { invariantResponse, redirect } from "~/utils/http.server.ts";

/**
 * /kb/<id> (how search results and similar-question suggestions link an article): a redirect to its
 * address. 302, not 301: the address follows the title, so /kb/<id> is a stable alias, not an old address
 * (old addresses answer 301 to the current one: ADR 053).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = IdParam.safeParse(params.id ?? "");
  invariantResponse(id.success, "messages.common.articleMissing", 404);
  const article = await getArticleAddress(id.data);
  invariantResponse(article && canReadArticle(await getCurrentUser(request), article), "messages.common.articleMissing", 404);
  return redirect(article.path, 302);
}
