import crypto from "node:crypto";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";
import { CLIENT_IP_HEADER } from "~/utils/form.server.ts";
import { isForeignOrigin } from "~/utils/csrf.server.ts";
import { randomBytes } from "~/utils/random-pool.server.ts";
import { createAnonymousPageCache } from "./anonymous-page-cache.ts";
import { dropUntrustedProxyHeaders, fromTrustedProxy, requestOrigin } from "./proxy-trust.ts";
import { limitRequestBodies } from "./body-limit.ts";
import { createRemixExpressHandler } from "./remix-adapter.ts";
import { measureRequests, metricsEndpoint, routeMatcher } from "./request-metrics.ts";
import type { Lifecycle, trackRequests } from "./graceful-shutdown.ts";
import type { Runtime } from "~/utils/runtime.server.ts";

export type HttpServerOptions = {
  /** Returns the current server build (re-imported after each rebuild in development). */
  getBuild: () => Promise<ServerBuild>;
  mode: "production" | "development";
  logger: Logger;
  runtime: Runtime;
  /** HSTS and Secure cookies: only behind HTTPS. */
  secure: boolean;
  /** Value for Express's "trust proxy" (how many proxies, or a list): decides the client address. */
  trustProxy?: string;
  /** Seconds signed-out visitors may be served a kept copy of a public page; 0 (default) turns it off. */
  pageCacheSeconds?: number;
  /** Graceful shutdown (graceful-shutdown.ts, ADR 062): /readyz answers 503 while draining; requests are counted. */
  lifecycle?: Lifecycle;
  requests?: ReturnType<typeof trackRequests>;
  /** The bearer token of /metrics; unset: /metrics answers 404 (ADR 066). Default: METRICS_TOKEN. */
  metricsToken?: string;
};

/** What a trusted proxy's request id may look like (it is logged as `upstreamId`). */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;
const UPSTREAM_ID_HEADER = "x-threadwise-upstream-id";

/**
 * The HTTP layer in front of Remix: request ids and logs, security headers with a CSP nonce per
 * response, compression, static files, health checks, and a global refusal of cross-site mutations.
 */
export function createHttpApp(options: HttpServerOptions) {
  const { logger, runtime } = options;
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", parseTrustProxy(options.trustProxy));
  if (options.requests) app.use(options.requests.middleware);
  // One histogram observation per request, labelled with its Remix route id (request-metrics.ts, ADR 066).
  const metrics = runtime.metrics();
  let routes: ServerBuild["routes"] | undefined;
  app.use(measureRequests(metrics, routeMatcher(() => routes)));
  void options.getBuild().then((build) => (routes ??= build.routes), () => {});

  app.use((req, res, next) => {
    // The request id is always made here. A trusted proxy's own id is kept beside it, for the logs only:
    // nothing may look anything up by an id a client can choose (ADR 028).
    const upstream = fromTrustedProxy(req) ? req.get("x-request-id") : undefined;
    if (upstream && REQUEST_ID.test(upstream)) req.headers[UPSTREAM_ID_HEADER] = upstream;
    else delete req.headers[UPSTREAM_ID_HEADER];
    const id = crypto.randomUUID();
    req.headers["x-request-id"] = id;
    res.setHeader("X-Request-Id", id);
    dropUntrustedProxyHeaders(req);
    // The client address Remix code sees; whatever the client sent under this name is replaced.
    req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? "unknown";
    res.locals.nonce = randomBytes(16).toString("base64");
    next();
  });

  // A log line per request when the level shows them (info and below). Above it, pino-http would
  // still build a child logger and its response bookkeeping for every request (0.3 ms of CPU each
  // in profiles) to write nothing: req.log is then made only when something logs through it.
  app.use(
    logger.isLevelEnabled("info")
      ? pinoHttp({
          logger,
          genReqId: (req) => String(req.headers["x-request-id"]),
          autoLogging: { ignore: (req) => Boolean(req.url?.startsWith("/build/") || req.url === "/healthz" || req.url === "/favicon.svg") },
          customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "info" : "info"),
          serializers: { req: (req) => ({ id: req.id, upstreamId: req.headers[UPSTREAM_ID_HEADER], method: req.method, url: req.url }), res: (res) => ({ statusCode: res.statusCode }) },
        })
      : (req: express.Request, _res: express.Response, next: express.NextFunction) => {
          Object.defineProperty(req, "log", {
            configurable: true,
            get() {
              const log = logger.child({ req: { id: req.headers["x-request-id"], upstreamId: req.headers[UPSTREAM_ID_HEADER], method: req.method, url: req.url } });
              Object.defineProperty(req, "log", { value: log, configurable: true });
              return log;
            },
          });
          next();
        },
  );

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.nonce}'`],
          "style-src": ["'self'", "'unsafe-inline'"],
          "img-src": ["'self'", "data:", "https:"],
          "font-src": ["'self'"],
          "connect-src": options.mode === "development" ? ["'self'", "ws:"] : ["'self'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "base-uri": ["'none'"],
          "object-src": ["'none'"],
          ...(options.secure ? { "upgrade-insecure-requests": [] } : {}),
        },
      },
      strictTransportSecurity: options.secure ? { maxAge: 63072000, includeSubDomains: true } : false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: "deny" },
    }),
  );
  // Pages and data are compressed by the Remix adapter (remix-adapter.ts); files here.
  const compress = compression();
  app.use("/build", compress, express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y" }));
  // Only paths that name a file (favicon.svg, robots.txt) look on disk: a stat for every page request
  // showed in profiles.
  const publicFiles = express.static(path.resolve("public"), { maxAge: "1h" });
  app.use((req, res, next) => (/\.[a-z0-9]+$/i.test(req.path) ? compress(req, res, () => publicFiles(req, res, next)) : next()));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  // Prometheus, behind a bearer token (404 without it); the public nginx site answers 404 for it anyway.
  app.get("/metrics", metricsEndpoint(metrics, "metricsToken" in options ? options.metricsToken : process.env.METRICS_TOKEN || undefined));
  app.get("/readyz", async (_req, res) => {
    // First sign of a shutdown: the balancer stops sending here while in-flight requests finish.
    if (options.lifecycle?.draining) return void res.status(503).json({ status: "draining" });
    const { ready, body } = await runtime.readiness();
    res.status(ready ? 200 : 503).json(body);
  });

  // An address whose %-escapes decode to nothing (".../%E0", "%ZZ") names no page: it gets the site's own 404
  // page, inside the layout with its title and lang, instead of the bare 500 the router's URIError would give.
  app.use((req, _res, next) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      req.url = req.originalUrl = "/_/unreadable-address";
    }
    next();
  });

  // Cross-site mutations are refused before any route runs (the CSRF token is checked again in readForm).
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    if (isForeignOrigin(req.get("origin"), req.get("sec-fetch-site"), requestOrigin(req))) {
      res.status(403).type("text/plain").send("Cross-site request refused");
      return;
    }
    next();
  });

  // Bodies are capped and read here, before anything parses them (body-limit.ts, ADR 032).
  app.use(limitRequestBodies());

  // Cleared on every app server when any of them handles a mutation (ADR 060).
  const pageCache = createAnonymousPageCache({ ttlSeconds: options.pageCacheSeconds ?? 0, onMutation: () => runtime.announceCacheChange("pages"), onLookup: metrics.countPageCache });
  runtime.onCacheChange("pages", pageCache.clear);
  app.use(pageCache.middleware);

  let current: { build: ServerBuild; handler: express.RequestHandler } | undefined;
  app.all("*", async (req, res, next) => {
    try {
      const build = await options.getBuild();
      routes = build.routes;
      if (current?.build !== build) {
        current = {
          build,
          handler: createRemixExpressHandler({
            build: runtime.answerBusyWith503(build),
            mode: options.mode,
            getLoadContext: (request, response) => ({
              nonce: response.locals.nonce as string,
              requestId: String(request.headers["x-request-id"]),
              // A document (not Remix's `?_data` request) carries post bodies in its markup only (ADR 085).
              documentHtml: "_data" in request.query ? undefined : new Map<string, string>(),
              // Read when used: the logger of a request is made lazily (above).
              get log() {
                return request.log;
              },
            }),
          }),
        };
      }
      await current.handler(req, res, next);
    } catch (error) {
      next(error);
    }
  });

  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    req.log?.error({ err: error }, "request failed");
    if (res.headersSent) return;
    res.status(500).type("text/plain").send(`Something went wrong on our side. Reference: ${String(req.headers["x-request-id"])}`);
  });

  return app;
}

/** TRUST_PROXY: a hop count ("1"), true/false, or a list of addresses and subnets ("loopback, 10.0.0.0/8"). */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
