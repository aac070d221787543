import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam, QuestionQuery } from "~/modules/api/api.schema.ts";
import { presentThread } from "~/modules/api/present.server.ts";
import { notFound, ok } from "~/utils/http.server.ts";

/** GET /api/v1/questions/{id}?page=: a thread with a page of its answers and their comments (hidden ones only for moderators). */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiEndpoint(request, params, { needs: "read", query: QuestionQuery }, async ({ principal, origin, query }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    const thread = await presentThread(origin, BigInt(id.data.id), principal, { page: query.page });
    return thread ? ok(thread) : notFound();
  });
}
