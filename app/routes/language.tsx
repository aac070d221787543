import type { ActionFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { setLanguage } from "~/modules/users/set-language.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, redirect } from "~/utils/http.server.ts";
import { safeRedirect } from "~/utils/safe-redirect.ts";

/** Choosing a language changes state (a cookie, a member's setting), so it is a POST; a GET only goes home. */
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const result = await setLanguage(await getCurrentUser(request), form.get("language"));
  if (!result.ok) throw failureResponse(result);
  const back = form.get("redirectTo");
  return redirect(safeRedirect(typeof back === "string" ? back : null), { headers: { "Set-Cookie": result.value.cookie } });
}
