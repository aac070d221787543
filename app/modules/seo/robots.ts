/**
 * What crawlers are asked to leave alone (ADR 054): search result pages (endless, thin), the search
 * suggestion and log endpoints, staff and member areas (admin, dashboard, account, notifications,
 * moderation and knowledge-base review pages, private support), forms, and the sign-in pages. This is
 * advice to polite crawlers, not access control: every such page checks permissions itself.
 */
export const DISALLOWED_PATHS = [
  "/search",
  "/admin",
  "/dashboard",
  "/account",
  "/notifications",
  "/watches",
  "/support",
  "/review",
  "/questions/new",
  "/posts/",
  "/login",
  "/signup",
  "/logout",
  "/forgot-password",
  "/reset-password",
  "/unsubscribe/",
  "/users/handles",
] as const;

/**
 * Knowledge-base staff pages share /kb/<x> with article addresses (/kb/<category>/<slug>), so they are
 * matched exactly (`$`, or with a query string): a category named "review" keeps its articles crawlable.
 */
export const DISALLOWED_EXACT_PATHS = ["/kb/review", "/kb/recurring", "/kb/promote", "/kb/new"] as const;

export function robotsTxt(origin: string): string {
  const rules = [...DISALLOWED_PATHS, ...DISALLOWED_EXACT_PATHS.flatMap((p) => [`${p}$`, `${p}?`])];
  return ["User-agent: *", ...rules.map((p) => `Disallow: ${p}`), "", `Sitemap: ${origin}/sitemap.xml`, ""].join("\n");
}
