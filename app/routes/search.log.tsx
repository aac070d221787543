import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { logSearch } from "~/modules/search/log-search.server.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse } from "~/utils/http.server.ts";
import { ensureVisitorId } from "~/utils/visitor.server.ts";

/** The search pages' beacon: records a search and the result opened from it (POST only). */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await getCurrentUser(request);
  const visitor = user ? null : await ensureVisitorId(request);
  const result = await logSearch(Object.fromEntries(form), { userId: user?.id ?? null, anonId: visitor?.id ?? null });
  if (!result.ok) return failureResponse(result);
  return json(result.value, { headers: visitor?.setCookie ? { "Set-Cookie": visitor.setCookie } : {} });
}
