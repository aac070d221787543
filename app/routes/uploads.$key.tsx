import type { LoaderFunctionArgs } from "@remix-run/node";
import { readUpload } from "~/modules/content/read-upload.server.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";

/**
 * Serves a stored image with the type sniffed at upload (the server adds nosniff), to those who may
 * see the content showing it (readUpload, ADR 045); 404 to everyone else. Caches revalidate every
 * minute, so an image of a post hidden since stops being served from them soon after.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const key = params.key ?? "";
  const found = await readUpload(await getCurrentUser(request), key);
  if (!found) throw new Response("Not found", { status: 404 });
  const etag = `"${key}"`;
  const headers = {
    "Cache-Control": found.public ? "public, max-age=60, must-revalidate" : "private, no-cache",
    ETag: etag,
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(found.bytes), { headers: { ...headers, "Content-Type": found.contentType, "Content-Length": String(found.bytes.length) } });
}
