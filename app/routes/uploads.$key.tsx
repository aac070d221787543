import type { LoaderFunctionArgs } from "@remix-run/node";
import { getStorage } from "~/utils/storage.server.ts";

/** Serves a stored image with the type sniffed at upload (the server adds nosniff), cached for good. */
export async function loader({ params }: LoaderFunctionArgs) {
  const found = await getStorage().get(params.key ?? "");
  if (!found) throw new Response("Not found", { status: 404 });
  return new Response(new Uint8Array(found.bytes), {
    headers: {
      "Content-Type": found.contentType,
      "Content-Length": String(found.bytes.length),
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
}
