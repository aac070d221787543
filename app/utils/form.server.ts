import { assertSameSite } from "./csrf.server.ts";

/**
 * Reads a mutation's form body after the CSRF and Origin checks. Every action reads its input
 * through this function, so no action can forget the check (tests/http/csrf.test.ts walks them all).
 */
export async function readForm(request: Request): Promise<FormData> {
  if (request.method === "GET" || request.method === "HEAD") {
    throw new Response("Method not allowed", { status: 405 });
  }
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    throw new Response("The request body could not be read as a form", { status: 400 });
  }
  await assertSameSite(request, formData);
  return formData;
}

/** Header the HTTP server sets from the socket (or trusted proxy) address; any incoming value is overwritten. */
export const CLIENT_IP_HEADER = "x-threadwise-client-ip";

/** The client's address, for rate limits and the session list. */
export function clientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? "unknown";
}
