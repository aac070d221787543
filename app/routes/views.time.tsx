import type { ActionFunctionArgs } from "@remix-run/node";
import { recordTimeOnPage } from "~/modules/support/record-time-on-page.server.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse } from "~/utils/http.server.ts";
import { readVisitorId } from "~/utils/visitor.server.ts";

/**
 * POST /views/time: the thread and article pages' `navigator.sendBeacon` when they are hidden or left,
 * with the seconds they were visible (ADR 072). The form body carries the CSRF token like every other
 * action (a beacon cannot set headers, but it can send a form). GET has no loader: 405.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = await getCurrentUser(request);
  const result = await recordTimeOnPage(Object.fromEntries(form), { userId: user?.id ?? null, anonId: await readVisitorId(request) });
  if (!result.ok) return failureResponse(result);
  return new Response(null, { status: 204 });
}

/** A GET is never a report: 405, with the method that is. */
export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}
