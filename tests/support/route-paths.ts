import type { ServerBuild } from "@remix-run/node";

/**
 * One URL per route of the build, so a test can walk every route (a new route is walked without
 * editing the test). `samples` gives a real URL for routes whose parameters need real ids; the
 * parameters of other routes become "x" (usually a 404 page, which still runs the root loader).
 */
export function routeUrls(build: ServerBuild, which: (module: { loader?: unknown; action?: unknown; default?: unknown }) => boolean, samples: Record<string, string> = {}): { routeId: string; url: string }[] {
  const fullPath = (id: string): string => {
    const route = build.routes[id]!;
    const parent = route.parentId && route.parentId !== "root" ? fullPath(route.parentId) : "";
    return [parent, route.path ?? ""].filter(Boolean).join("/");
  };
  return Object.values(build.routes)
    .filter((route) => route.id !== "root" && which(route.module as never))
    .map((route) => ({ routeId: route.id, url: samples[route.id] ?? "/" + fullPath(route.id).replace(/:[^/]+/g, "x").replace(/\*$/, "no-such-page") }))
    .sort((a, b) => a.url.localeCompare(b.url));
}
