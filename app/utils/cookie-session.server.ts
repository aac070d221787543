import { createCookieSessionStorage, type Session } from "@remix-run/node";
import { getEnv, secureCookies } from "./env.server.ts";

/** How long a sign-in lasts from the moment it starts (the session row and the cookie expire together). */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

type CookieData = { sid?: string };
type FlashData = { toast?: string };

let storage: ReturnType<typeof createCookieSessionStorage<CookieData, FlashData>> | undefined;

/**
 * The signed session cookie. It holds only the id of a row in `sessions` (and a one-time notice);
 * everything else lives in PostgreSQL, so deleting the row signs that browser out.
 */
export function cookieSessions() {
  storage ??= createCookieSessionStorage<CookieData, FlashData>({
    cookie: {
      name: "tw_session",
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: secureCookies(),
      secrets: [getEnv().SESSION_SECRET],
      maxAge: SESSION_TTL_MS / 1000,
    },
  });
  return storage;
}

export async function readCookieSession(request: Request): Promise<Session<CookieData, FlashData>> {
  return cookieSessions().getSession(request.headers.get("Cookie"));
}
