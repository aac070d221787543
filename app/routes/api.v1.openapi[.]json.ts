import { openApiDocument } from "~/modules/api/openapi.server.ts";

/** GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from the Zod schemas. */
export function loader() {
  return new Response(JSON.stringify(openApiDocument()), { headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300" } });
}
