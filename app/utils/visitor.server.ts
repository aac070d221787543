import { createCookie } from "@remix-run/node";
import { secureCookies } from "./env.server.ts";
import { randomBytes } from "./random-pool.server.ts";

/**
 * A first-party cookie with a random anonymous visitor id, so views and (later) searches of signed-out
 * visitors can be counted once a day and shown to staff when that visitor asks for help.
 */
const visitorCookie = createCookie("tw_vid", { path: "/", httpOnly: true, sameSite: "lax", maxAge: 365 * 24 * 3600 });

export async function readVisitorId(request: Request): Promise<string | null> {
  const value = (await visitorCookie.parse(request.headers.get("Cookie"))) as unknown;
  return typeof value === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(value) ? value : null;
}

/** The visitor id, and the Set-Cookie header to send when it is new. */
export async function ensureVisitorId(request: Request): Promise<{ id: string; setCookie: string | null }> {
  const existing = await readVisitorId(request);
  if (existing) return { id: existing, setCookie: null };
  const id = randomBytes(16).toString("base64url");
  return { id, setCookie: await visitorCookie.serialize(id, { secure: secureCookies() }) };
}
