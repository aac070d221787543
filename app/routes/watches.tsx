import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { setWatch } from "~/modules/notifications/set-watch.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, redirect } from "~/utils/http.server.ts";
import { safeRedirect } from "~/utils/safe-redirect.ts";

/** POST only: Watch / Stop watching (thread, tag, category). Back to the page without JavaScript, data for a fetcher. */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const result = await setWatch(user, Object.fromEntries(formData));
  if (!result.ok) return failureResponse(result);
  // Remix's fetchers add ?_data to the URL: they get data and revalidate the page instead of a redirect.
  if (new URL(request.url).searchParams.has("_data")) return json({ ok: true as const, watching: result.value.watching });
  return redirect(safeRedirect(String(formData.get("returnTo") ?? ""), "/account/watching"), 303);
}

export function loader() {
  return redirect("/account/watching");
}
