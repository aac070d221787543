import type { LoaderFunctionArgs } from "@remix-run/node";
import { getThreadSlug } from "~/modules/questions/questions-queries.server.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { invariantResponse, redirect } from "~/utils/http.server.ts";

/** /questions/<id> without its slug: a permanent redirect to the canonical URL. */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = IdParam.safeParse(params.id ?? "");
  invariantResponse(id.success, "No such question", 404);
  const slug = await getThreadSlug(id.data);
  invariantResponse(slug, "No such question", 404);
  return redirect(`/questions/${id.data}/${slug}`, 301);
}
