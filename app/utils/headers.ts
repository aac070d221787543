import type { HeadersFunction } from "@remix-run/node";

/**
 * Remix builds a document response's headers from the route's `headers` export, not from what the
 * action returned. Routes whose actions answer 429 use this so Retry-After reaches the client.
 */
export const forwardRetryAfter: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After") ?? loaderHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
