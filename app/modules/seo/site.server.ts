import { getEnv } from "~/utils/env.server.ts";

/**
 * The site's public origin for absolute URLs in canonical links, Open Graph tags, structured data,
 * sitemaps and feeds. It comes from APP_URL (which `npm start` always sets), never from the request's
 * Host header: a forged Host must not end up in a page the anonymous page cache keeps (ADR 025, ADR 053).
 */
export function siteOrigin(): string {
  const env = getEnv();
  return new URL(env.APP_URL ?? `http://localhost:${env.PORT}`).origin;
}
