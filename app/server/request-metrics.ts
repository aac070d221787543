import crypto from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import type express from "express";
import type { Runtime } from "~/utils/runtime.server.ts";

type Metrics = ReturnType<Runtime["metrics"]>;

/**
 * The per-request half of /metrics (docs/decisions/066-metrics-and-s3-storage.md): each finished request is
 * one histogram observation labelled with the Remix route id it matched ("routes/questions.$id"), or a
 * fixed name for what is answered before Remix ("static", "healthz", "readyz", "metrics"), never the URL:
 * the label set stays bounded by the route files whatever clients ask for.
 */
export function measureRequests(metrics: Metrics, routeIdOf: (pathname: string) => string): express.RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.observeRequest(routeName(req.path, routeIdOf), req.method, res.statusCode, seconds);
    });
    next();
  };
}

function routeName(pathname: string, routeIdOf: (pathname: string) => string): string {
  if (pathname.startsWith("/build/")) return "static";
  if (pathname === "/healthz" || pathname === "/readyz" || pathname === "/metrics") return pathname.slice(1);
  const id = routeIdOf(pathname);
  // A file of public/ (favicon.svg) matches only the catch-all route; robots.txt has a route of its own.
  if ((id === "routes/$" || id === "unmatched") && /\.[a-z0-9]+$/i.test(pathname)) return "static";
  return id;
}

/**
 * The id of the deepest Remix route a path matches ("unmatched" when none does), as Remix matches it.
 * Matching ranks every route, so answers are kept per path, at most `max` of them (then forgotten at once).
 */
export function routeMatcher(getRoutes: () => ServerBuild["routes"] | undefined, max = 5000): (pathname: string) => string {
  let routes: ServerBuild["routes"] | undefined;
  let tree: AgnosticRouteObject[] = [];
  let known = new Map<string, string>();
  return (pathname) => {
    const current = getRoutes();
    if (!current) return "unmatched";
    if (current !== routes) {
      routes = current;
      tree = routeTree(current);
      known = new Map();
    }
    let id = known.get(pathname);
    if (id === undefined) {
      const matches = matchRoutes(tree, pathname);
      id = matches?.[matches.length - 1]?.route.id ?? "unmatched";
      if (known.size >= max) known = new Map();
      known.set(pathname, id);
    }
    return id;
  };
}

function routeTree(routes: ServerBuild["routes"], parentId?: string): AgnosticRouteObject[] {
  return Object.values(routes)
    .filter((route) => route.parentId === parentId)
    .map((route) =>
      route.index
        ? { id: route.id, index: true, path: route.path, caseSensitive: route.caseSensitive }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: routeTree(routes, route.id) },
    );
}

/**
 * GET /metrics: 404 unless METRICS_TOKEN is set and the request carries it as `Authorization: Bearer <token>`
 * (a wrong or missing token is a 404 too: nothing tells a prober the endpoint exists). Compared in constant time.
 */
export function metricsEndpoint(metrics: Metrics, token: string | undefined): express.RequestHandler {
  const expected = token ? crypto.createHash("sha256").update(token).digest() : undefined;
  return (req, res) => {
    const given = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1];
    if (!expected || !given || !crypto.timingSafeEqual(crypto.createHash("sha256").update(given).digest(), expected)) {
      res.status(404).type("text/plain").send("Not found");
      return;
    }
    metrics
      .exposition()
      .then((text) => {
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("Content-Type", metrics.contentType);
        res.end(text);
      })
      .catch(() => res.status(500).type("text/plain").send("metrics failed"));
  };
}
