import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { suggestHandles } from "~/modules/users/users-queries.server.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";

/** Handles for "@" mentions while typing (`?q=ann`): up to 6 active members, signed-in members only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  if (!user) return json({ members: [] }, { status: 401 });
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return json({ members: await suggestHandles(q) }, { headers: { "Cache-Control": "private, max-age=30" } });
}
