import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { flagPost } from "~/modules/flags/flag-post.server.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { getCurrentUser, touchSession } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, redirect } from "~/utils/http.server.ts";
import { safeRedirect } from "~/utils/safe-redirect.ts";
import { submissionOf } from "~/utils/submission.server.ts";

/** POST only: a member flags a post (issue 19). Data for the thread page's fetcher; back to the page without JavaScript. */
export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await getCurrentUser(request);
  if (!user) return failureResponse({ ok: false, kind: "forbidden", message: "messages.flags.signInToFlag" });
  const id = IdParam.safeParse(params.id ?? "");
  if (!id.success) return failureResponse({ ok: false, kind: "not-found", message: "messages.common.noSuchPost" });
  await touchSession(user.sessionId);
  const result = await flagPost(user.id, id.data, Object.fromEntries(formData), submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result);
  // A browser's own form post (no JavaScript) asks for a page: back to it. The thread page's fetcher gets data
  // (Remix strips its ?_data marker before the action sees the URL, so the Accept header tells them apart).
  if (/text\/html/.test(request.headers.get("accept") ?? "")) return redirect(safeRedirect(String(formData.get("returnTo") ?? ""), "/account/flags"), 303);
  return json({ ok: true as const, hidden: result.value.hidden });
}

export function loader() {
  return redirect("/account/flags");
}
