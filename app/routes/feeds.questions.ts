import { questionsFeed, atomXml } from "~/modules/seo/feeds.server.ts";
import { siteOrigin } from "~/modules/seo/site.server.ts";
import { xmlResponse } from "~/modules/seo/xml.ts";

/** Atom feed: /feeds/questions (ADR 054). */
export async function loader() {
  return xmlResponse(atomXml(siteOrigin(), await questionsFeed()), "application/atom+xml");
}
