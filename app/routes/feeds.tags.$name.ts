import type { LoaderFunctionArgs } from "@remix-run/node";
import { atomXml, tagFeed } from "~/modules/seo/feeds.server.ts";
import { siteOrigin } from "~/modules/seo/site.server.ts";
import { xmlResponse } from "~/modules/seo/xml.ts";
import { hasControlCharacters } from "~/modules/content/plain-text.schema.ts";
import { invariantResponse } from "~/utils/http.server.ts";

/** Atom feed of a tag's latest questions: /feeds/tags/<name> (ADR 054). */
export async function loader({ params }: LoaderFunctionArgs) {
  const name = params.name ?? "";
  const feed = hasControlCharacters(name) ? null : await tagFeed(name);
  invariantResponse(feed, "No such tag", 404);
  return xmlResponse(atomXml(siteOrigin(), feed), "application/atom+xml");
}
