import { robotsTxt } from "~/modules/seo/robots.ts";
import { siteOrigin } from "~/modules/seo/site.server.ts";

/** robots.txt: what crawlers leave alone, and where the sitemap is (ADR 054). */
export function loader() {
  return new Response(robotsTxt(siteOrigin()), { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" } });
}
