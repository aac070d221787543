import type { LoaderFunctionArgs } from "@remix-run/node";
import { countEventStream } from "~/modules/notifications/live-counts.server.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";

/**
 * The bell's live count (server-sent events, ADR 041). Signed out: 204, which tells EventSource to
 * stop reconnecting; a stream ends when its session does.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  if (!user) return new Response(null, { status: 204 });
  return countEventStream(request.signal, user);
}
