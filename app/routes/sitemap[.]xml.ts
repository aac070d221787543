import { siteOrigin } from "~/modules/seo/site.server.ts";
import { listSitemapParts, sitemapIndexXml } from "~/modules/seo/sitemap.server.ts";
import { xmlResponse } from "~/modules/seo/xml.ts";

/** The sitemap index: one entry per part, with its lastmod (ADR 054). */
export async function loader() {
  return xmlResponse(sitemapIndexXml(siteOrigin(), await listSitemapParts()));
}
