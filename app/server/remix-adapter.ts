import zlib from "node:zlib";
import { createReadableStreamFromReadable, createRequestHandler as createRemixHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import type express from "express";
import { requestOrigin } from "./proxy-trust.ts";
import { BODY_LOCAL } from "./body-limit.ts";
import { clientIp } from "~/utils/form.server.ts";
import { renderedBody } from "~/utils/rendered-body.server.ts";

/** Bodies under this size are sent as they are: compressing them costs more than it saves. */
const COMPRESS_MIN_BYTES = 1024;
/**
 * Pages and data are whole before they are sent (entry.server renders the page in full), and so are
 * the XML documents (sitemaps, feeds): built as one string, or kept gzipped (ADR 073).
 */
const WHOLE_BODY = /^(text\/html|application\/json|application\/(atom\+)?xml)\b/i;

/**
 * Serves Remix responses through Express, like `@remix-run/express`, with one difference: a page or
 * a data response is read whole, compressed in one synchronous call when the client accepts gzip,
 * and written once with its length. The `compression` middleware would stream it through a zlib
 * stream on the thread pool, which cost 1-1.5 ms per response here (a 7 KB search result: 1.5 ms
 * against 0.16 ms for one gzipSync), and compressed even a 31-byte body because a streamed body has
 * no length to compare with its threshold (docs/decisions/027-http-responses.md); for a sitemap part of
 * 9 MB it was a zlib stream at level 6 on every request. A body that arrives gzipped already (a kept
 * sitemap part) is sent as it is, and decompressed for a client that does not accept gzip. Other responses
 * (CSV exports, uploads, deferred data) stream as before, compressed by the middleware.
 */
export function createRemixExpressHandler(options: {
  build: ServerBuild;
  mode: string;
  getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext;
}): express.RequestHandler {
  const handleRequest = createRemixHandler(options.build, options.mode);
  // Each request runs in a scope of its own, made here: what one request keeps (its signed-in user)
  // can never be reached by another (app/utils/request-scope.server.ts, ADR 028).
  const { runInRequestScope } = options.build.entry.module as unknown as { runInRequestScope?: <T>(fn: () => T, clientIp?: string) => T };
  if (typeof runInRequestScope !== "function") throw new Error("The server build does not export runInRequestScope (app/entry.server.tsx)");
  const streamCompression = compression();
  return async (req, res, next) => {
    try {
      const request = createRemixRequest(req, res);
      const loadContext = options.getLoadContext(req, res);
      const response = await runInRequestScope(() => handleRequest(request, loadContext), clientIp(request));
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [key, value] of response.headers.entries()) res.append(key, value);
      if (!response.body) {
        res.end();
        return;
      }
      if (!WHOLE_BODY.test(response.headers.get("content-type") ?? "")) {
        await new Promise<void>((resolve) => streamCompression(req, res, () => resolve()));
        await writeReadableStreamToWritable(response.body, res);
        return;
      }
      const body = renderedBody(response) ?? Buffer.from(await response.arrayBuffer());
      if (response.headers.get("content-encoding") === "gzip") return sendGzipped(req, res, body);
      res.locals[WHOLE_BODY_LOCAL] = body;
      sendWhole(req, res, body);
    } catch (error) {
      next(error);
    }
  };
}

/** Where the adapter leaves the uncompressed body it sent (the anonymous page cache keeps a copy). */
export const WHOLE_BODY_LOCAL = "wholeBody";

/**
 * gzip level 1: on a thread page (120 KB of HTML) it costs about 60 % of level 6's time for 14 % more bytes
 * (19.4 KB against 17.1 KB); compression was 7 % of a signed-in page's server CPU (issue 25, ADR 075).
 */
const GZIP_LEVEL = 1;

/**
 * Writes a whole body once, with its length, gzipped when it is worth it and the client accepts it
 * (`gzipped` gives its gzip form when the caller has one ready: the anonymous page cache, ADR 075).
 */
export function sendWhole(req: express.Request, res: express.Response, body: Buffer, gzipped?: () => Buffer) {
  let payload = body;
  if (body.length >= COMPRESS_MIN_BYTES && !res.getHeader("Content-Encoding")) {
    res.vary("Accept-Encoding");
    if (req.acceptsEncodings("gzip", "identity") === "gzip" && !/\bno-transform\b/.test(String(res.getHeader("Cache-Control") ?? ""))) {
      payload = gzipped ? gzipped() : zlib.gzipSync(body, { level: GZIP_LEVEL });
      res.setHeader("Content-Encoding", "gzip");
    }
  }
  res.setHeader("Content-Length", payload.length);
  res.end(req.method === "HEAD" ? undefined : payload);
}

/** Writes a body that is gzipped already: as it is when the client accepts gzip, else decompressed. */
function sendGzipped(req: express.Request, res: express.Response, gzipped: Buffer) {
  res.vary("Accept-Encoding");
  let payload = gzipped;
  if (req.acceptsEncodings("gzip", "identity") !== "gzip") {
    payload = zlib.gunzipSync(gzipped);
    res.removeHeader("Content-Encoding");
  }
  res.setHeader("Content-Length", payload.length);
  res.end(req.method === "HEAD" ? undefined : payload);
}

/** The Fetch Request Remix reads, as `@remix-run/express` builds it (that helper is not exported). */
function createRemixRequest(req: express.Request, res: express.Response): Request {
  // The forwarded host and scheme count only from a trusted proxy (proxy-trust.ts).
  const url = `${requestOrigin(req)}${req.originalUrl}`;

  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  // Loaders and actions are aborted when the client goes away before the response is written.
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    // The body was read and capped by limitRequestBodies() (body-limit.ts); the stream is the fallback.
    const body: unknown = res.locals[BODY_LOCAL];
    if (Buffer.isBuffer(body)) init.body = body as Uint8Array<ArrayBuffer>; // never a SharedArrayBuffer
    else {
      init.body = createReadableStreamFromReadable(req);
      init.duplex = "half";
    }
  }
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url, init);
}
