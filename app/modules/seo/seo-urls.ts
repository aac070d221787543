import { headerSafeUrl } from "~/utils/headers.ts";

/** Client-safe URL helpers of the search-engine pages (ADR 053). */

/** A site path (in any script) as an absolute URL, percent-encoded as on the wire (ADR 037). */
export function absoluteUrl(origin: string, path: string): string {
  return origin.replace(/\/+$/, "") + headerSafeUrl(path.startsWith("/") ? path : `/${path}`);
}

/**
 * The canonical path of a page reached at `pathname?search`: only the query parameters named in `keep`
 * survive (a list's filter and page), in that order; tracking (utm_*, fbclid…), sort orders and anything
 * else are dropped, so every variant of a list names one URL.
 */
export function canonicalPath(pathname: string, search: string, keep: readonly string[] = []): string {
  const params = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const name of keep) {
    const value = params.get(name);
    if (value) kept.set(name, value);
  }
  const query = kept.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/**
 * The address of one post in its thread: `?answer=<id>` picks the page of a long thread that holds it
 * (ADR 075; the question, or an answer on the first page, is on the first page), `#post-<id>` scrolls to it.
 */
export function postPath(threadPath: string, postId: string | bigint): string {
  return `${threadPath}?answer=${postId}#post-${postId}`;
}
