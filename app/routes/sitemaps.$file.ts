import type { LoaderFunctionArgs } from "@remix-run/node";
import { siteOrigin } from "~/modules/seo/site.server.ts";
import { parseSitemapFile, sitemapPart, urlSetXml } from "~/modules/seo/sitemap.server.ts";
import { xmlResponse } from "~/modules/seo/xml.ts";
import { invariantResponse } from "~/utils/http.server.ts";

/** One part of the sitemap: /sitemaps/threads-2.xml (ADR 054). */
export async function loader({ params }: LoaderFunctionArgs) {
  const file = parseSitemapFile(params.file ?? "");
  invariantResponse(file, "No such sitemap", 404);
  const entries = await sitemapPart(file.kind, file.part);
  invariantResponse(entries, "No such sitemap", 404);
  return xmlResponse(urlSetXml(siteOrigin(), entries));
}
