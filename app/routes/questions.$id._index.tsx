import type { LoaderFunctionArgs } from "@remix-run/node";
import { getThreadPath } from "~/modules/questions/questions-queries.server.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { invariantResponse, redirect } from "~/utils/http.server.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";

/** /questions/<id> without its slug: a permanent redirect to the canonical URL (a merged thread's target's, ADR 048). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = IdParam.safeParse(params.id ?? "");
  invariantResponse(id.success, "messages.common.noSuchQuestion", 404);
  // The slug is the title: a hidden or deleted thread answers 404 to whoever cannot see it, not 301.
  const path = await getThreadPath(id.data, await getCurrentUser(request));
  invariantResponse(path, "messages.common.noSuchQuestion", 404);
  // A link to an answer (`?answer=`) or to a page of answers keeps it (ADR 075).
  const search = new URL(request.url).searchParams;
  const kept = new URLSearchParams();
  for (const name of ["answer", "page"]) if (/^[1-9]\d{0,17}$/.test(search.get(name) ?? "")) kept.set(name, search.get(name)!);
  return redirect(kept.size ? `${path}?${kept}` : path, 301);
}
