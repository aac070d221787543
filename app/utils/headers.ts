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

/**
 * A URL as a header value (Location, Link, Refresh). Slugs and redirect targets carry user text
 * (Chinese titles, "ł", a space), and a header may hold only visible ASCII: Node refuses anything else
 * with a TypeError, which became a 500 after the write had happened. Every character outside RFC
 * 3986's set is percent-encoded as UTF-8 (lone surrogates as U+FFFD), including CR and LF; escapes
 * already there (%E4) are kept, so encoding twice changes nothing.
 */
export function headerSafeUrl(url: string): string {
  return wellFormed(url).replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g, (part) => encodeURIComponent(part));
}

/**
 * Content-Disposition for a download whose name may carry user text: an ASCII fallback in `filename`
 * (quotes, backslashes and anything else unsafe replaced by "_") and the exact name in `filename*`
 * (RFC 6266 / RFC 8187, UTF-8, percent-encoded), which every current browser prefers.
 */
export function attachmentDisposition(filename: string): string {
  const name = wellFormed(filename).replace(/\p{Cc}/gu, "");
  const fallback = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** String.prototype.toWellFormed (ES2024): a lone surrogate, which encodeURIComponent refuses, becomes U+FFFD. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
