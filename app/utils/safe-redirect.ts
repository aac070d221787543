/** Stands in for the site's own origin: only a target that keeps it is a same-origin path. */
const SITE = new URL("https://threadwise.invalid");
/** C0 and C1 controls, and any whitespace (browsers strip tabs and newlines from URLs, and trim spaces). */
const CONTROL_OR_SPACE = /[\p{Cc}\s]/u;

/**
 * The one check for a redirect target that came from a user (`redirectTo` after sign-in): a path on
 * this site, or `fallback`. The target must start with a single `/`, contain no control character,
 * whitespace or backslash, and keep the site's origin when a URL parser resolves it; what is returned is
 * the parser's own serialization, so the browser reads the same path we checked. `/\t/evil.example`
 * (browsers drop the tab: `//evil.example`), `/\\evil.example`, `//evil.example`, `https://…` and
 * `/.//evil.example` (which normalizes to `//evil.example`) all give `fallback` (ADR 028).
 */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.length > 2048) return fallback;
  if (CONTROL_OR_SPACE.test(to) || to.includes("\\")) return fallback;
  let url: URL;
  try {
    url = new URL(to, SITE);
  } catch {
    return fallback;
  }
  if (url.origin !== SITE.origin) return fallback;
  const path = url.pathname + url.search + url.hash;
  // A path that starts with two slashes is read by browsers as another host.
  return path.startsWith("//") ? fallback : path;
}
