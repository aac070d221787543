import { secureCookies } from "~/utils/env.server.ts";
import type { Language } from "~/utils/i18n.ts";
import { LANGUAGE_COOKIE, type PageLanguage, visitorLanguage } from "~/utils/language.server.ts";
import { getCurrentUser } from "./sessions.server.ts";

/**
 * The language of a page (ADR 055): the member's setting, else the visitor's switcher cookie, else
 * the browser's Accept-Language, else English. Unknown or malformed values anywhere fall through to
 * the next source, never to an error.
 */
export async function requestLanguage(request: Request): Promise<PageLanguage> {
  const user = await getCurrentUser(request);
  if (user?.language) return user.language;
  return visitorLanguage(request.headers.get("cookie"), request.headers.get("accept-language"));
}

/** The switcher's cookie: a preference only (no identity), readable by the server, kept a year. */
export function languageCookie(language: Language): string {
  return `${LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax${secureCookies() ? "; Secure" : ""}`;
}
