import { createCookie } from "@remix-run/node";
import { CSRF, CSRFError } from "remix-utils/csrf/server";
import { getEnv, secureCookies } from "./env.server.ts";

let csrf: CSRF | undefined;

/** Double-submit token: a signed cookie plus a hidden form field (docs/decisions/004-csrf.md). */
export function getCsrf(): CSRF {
  if (csrf) return csrf;
  const env = getEnv();
  csrf = new CSRF({
    cookie: createCookie("tw_csrf", {
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: secureCookies(),
      secrets: [env.SESSION_SECRET],
    }),
    formDataKey: "csrf",
    secret: env.SESSION_SECRET,
  });
  return csrf;
}

/**
 * Refuses a cross-site request: a foreign Origin, or Fetch Metadata saying cross-site.
 * Browsers send Origin on every POST; requests without it (curl, old clients) still need the token.
 */
export function isCrossSite(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site") return true;
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return origin === "null";
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/** Checks the Origin and the CSRF token of a mutation; throws 403 when either is wrong. */
export async function assertSameSite(request: Request, formData: FormData): Promise<void> {
  if (isCrossSite(request)) throw forbiddenResponse("Cross-site request refused");
  try {
    await getCsrf().validate(formData, request.headers);
  } catch (error) {
    if (error instanceof CSRFError) throw forbiddenResponse("Your form expired or was sent from another site. Reload the page and try again.");
    throw error;
  }
}

function forbiddenResponse(message: string) {
  return new Response(message, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
