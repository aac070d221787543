import type { LoaderFunctionArgs } from "@remix-run/node";
import { atomXml, categoryFeed } from "~/modules/seo/feeds.server.ts";
import { siteOrigin } from "~/modules/seo/site.server.ts";
import { xmlResponse } from "~/modules/seo/xml.ts";
import { hasControlCharacters } from "~/modules/content/plain-text.schema.ts";
import { invariantResponse } from "~/utils/http.server.ts";

/** Atom feed of a category's latest questions: /feeds/categories/<slug> (ADR 054). */
export async function loader({ params }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const feed = hasControlCharacters(slug) ? null : await categoryFeed(slug);
  invariantResponse(feed, "No such category", 404);
  return xmlResponse(atomXml(siteOrigin(), feed), "application/atom+xml");
}
