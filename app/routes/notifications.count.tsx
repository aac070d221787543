import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";

/** The unread count as JSON, for browsers that cannot keep the event stream (the polling fallback). One statement. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  if (!user) return json({ unread: null }, { status: 401, headers: { "Cache-Control": "no-store" } });
  return json({ unread: user.unreadNotifications }, { headers: { "Cache-Control": "no-store" } });
}
