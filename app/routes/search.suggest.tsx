import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { searchEngine } from "~/modules/search/search-engine.server.ts";
import { suggestSimilar } from "~/modules/search/search-queries.server.ts";

/** GET /search/suggest?q=<title being typed>: similar resolved threads and articles, then open threads (JSON, no writes). */
export async function loader({ request }: LoaderFunctionArgs) {
  searchEngine.start();
  const result = await suggestSimilar(new URL(request.url).searchParams.get("q") ?? "");
  return json(result, { headers: { "Cache-Control": "private, max-age=10" } });
}
