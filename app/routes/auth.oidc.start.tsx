import type { LoaderFunctionArgs } from "@remix-run/node";
import { startSsoSignIn } from "~/modules/sso/start-sso-sign-in.server.ts";
import { requireAnonymous } from "~/modules/users/sessions.server.ts";
import { redirect, statusOf } from "~/utils/http.server.ts";
import { failureText } from "~/modules/users/failure-text.server.ts";

/**
 * "Sign in with <provider>": sends the browser to the provider (ADR 065). A GET, because it writes
 * nothing but this browser's short-lived flow cookie; the provider's answer is bound to that cookie.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const result = await startSsoSignIn(request, new URL(request.url).searchParams.get("redirectTo"));
  if (!result.ok) throw new Response(await failureText(request, result), { status: statusOf(result), headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return redirect(result.value.url, { headers: { "Set-Cookie": result.value.cookie, "Cache-Control": "no-store" } });
}
