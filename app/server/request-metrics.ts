import crypto from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
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
 * `matchRoutes` of @remix-run/router (what Remix calls) flattens, ranks and compiles every route on each call:
 * 80 µs here. The same flattening, ranking and patterns are made once per build instead (`routeBranches`,
 * checked against `matchRoutes` in request-metrics.test.ts), and answers are kept per path, at most `max`.
 */
export function routeMatcher(getRoutes: () => ServerBuild["routes"] | undefined, max = 5000): (pathname: string) => string {
  let routes: ServerBuild["routes"] | undefined;
  let branches: Branch[] = [];
  let known = new Map<string, string>();
  return (pathname) => {
    const current = getRoutes();
    if (!current) return "unmatched";
    if (current !== routes) {
      routes = current;
      branches = routeBranches(current);
      known = new Map();
    }
    let id = known.get(pathname);
    if (id === undefined) {
      const decoded = decodePath(pathname || "/");
      id = branches.find((branch) => branch.pattern.test(decoded))?.id ?? "unmatched";
      if (known.size >= max) known = new Map();
      known.set(pathname, id);
    }
    return id;
  };
}

type Branch = { id: string; path: string; pattern: RegExp; score: number };

/** Every route that can end a match, best first, with its whole path compiled: @remix-run/router's flattenRoutes, rankRouteBranches and compilePath. */
export function routeBranches(routes: ServerBuild["routes"]): Branch[] {
  const branches: (Branch & { indexes: number[] })[] = [];
  const walk = (parentId: string | undefined, parentPath: string, indexes: number[]) => {
    Object.values(routes)
      .filter((route) => route.parentId === parentId)
      .forEach((route, i) => {
        const path = joinPaths(parentPath, route.path ?? "");
        if (!route.index) walk(route.id, path, [...indexes, i]);
        if (route.path == null && !route.index) return; // a layout without a path ends no match
        branches.push({ id: route.id, path, pattern: compilePath(path, !!route.caseSensitive), score: computeScore(path, !!route.index), indexes: [...indexes, i] });
      });
  };
  walk(undefined, "", []);
  // Stable: equal scores keep their order unless they are siblings (then the earlier sibling first).
  return branches.sort((a, b) => (a.score !== b.score ? b.score - a.score : compareIndexes(a.indexes, b.indexes)));
}

/** @remix-run/router's decodePath, without its console warning for a malformed path (the path is then used as it is). */
function decodePath(value: string): string {
  try {
    return value
      .split("/")
      .map((segment) => decodeURIComponent(segment).replace(/\//g, "%2F"))
      .join("/");
  } catch {
    return value;
  }
}

function joinPaths(parent: string, child: string): string {
  return `${parent}/${child}`.replace(/\/\/+/g, "/");
}

function computeScore(path: string, index: boolean): number {
  const segments = path.split("/");
  let score = segments.length;
  if (segments.includes("*")) score -= 2;
  if (index) score += 2;
  for (const segment of segments) {
    if (segment === "*") continue;
    score += /^:[\w-]+$/.test(segment) ? 3 : segment === "" ? 1 : 10;
  }
  return score;
}

function compareIndexes(a: number[], b: number[]): number {
  const siblings = a.length === b.length && a.slice(0, -1).every((n, i) => n === b[i]);
  return siblings ? a[a.length - 1]! - b[b.length - 1]! : 0;
}

function compilePath(path: string, caseSensitive: boolean): RegExp {
  let source = `^${path
    .replace(/\/*\*?$/, "")
    .replace(/^\/*/, "/")
    .replace(/[\\.*+^${}|()[\]]/g, "\\$&")
    .replace(/\/:[\w-]+(\?)?/g, (_, optional: string | undefined) => (optional ? "/?([^\\/]+)?" : "/([^\\/]+)"))}`;
  if (path.endsWith("*")) source += path === "*" || path === "/*" ? "(.*)$" : "(?:\\/(.+)|\\/*)$";
  else source += "\\/*$";
  return new RegExp(source, caseSensitive ? undefined : "i");
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
