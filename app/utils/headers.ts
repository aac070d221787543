import type { HeadersFunction } from "@remix-run/node";

/**
 * Remix builds a document response's headers from the route's `headers` export, not from what the
 * action returned. Routes whose actions answer 429 use this so Retry-After reaches the client; the
 * root route uses it for the 503 thrown when the database is too busy (`errorHeaders`: a thrown
 * response rendered by the root error boundary).
 */
export const forwardRetryAfter: HeadersFunction = ({ actionHeaders, loaderHeaders, errorHeaders }) => {
  const headers = new Headers();
  const retryAfter = errorHeaders?.get("Retry-After") ?? actionHeaders.get("Retry-After") ?? loaderHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
