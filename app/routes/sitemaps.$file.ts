import type { LoaderFunctionArgs } from "@remix-run/node";
import { siteOrigin } from "~/modules/seo/site.server.ts";
import { threadPartDocument } from "~/modules/seo/sitemap-cache.server.ts";
import { parseSitemapFile, sitemapPart, urlSetXml } from "~/modules/seo/sitemap.server.ts";
import { gzippedXmlResponse, xmlResponse } from "~/modules/seo/xml.ts";
import { invariantResponse } from "~/utils/http.server.ts";

/** One part of the sitemap: /sitemaps/threads-2.xml (ADR 054); thread parts are kept gzipped (ADR 073). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = parseSitemapFile(params.file ?? "");
  invariantResponse(file, "No such sitemap", 404);
  if (file.kind === "threads") {
    const doc = await threadPartDocument(siteOrigin(), file.part);
    invariantResponse(doc, "No such sitemap", 404);
    return gzippedXmlResponse(request, doc);
  }
  const entries = await sitemapPart(file.kind, file.part);
  invariantResponse(entries, "No such sitemap", 404);
  return xmlResponse(urlSetXml(siteOrigin(), entries));
}
