import type { ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { redirect } from "~/utils/http.server.ts";

/** Sign out is a POST: a GET here (a prefetch, a crawler) must never end a session. */
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  const cookie = await endSession(request);
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}
