import type express from "express";
import { getCsrf } from "~/utils/csrf.server.ts";
import { visitorLanguage } from "~/utils/language.server.ts";
import { ensureVisitorId } from "~/utils/visitor.server.ts";
import { compileTemplate, fillTemplate, type PageTemplate } from "./page-template.ts";
import { WHOLE_BODY_LOCAL, sendWhole } from "./remix-adapter.ts";

/**
 * A few seconds of memory for the public pages signed-out visitors read most (lists and threads),
 * the way large forums serve anonymous traffic (docs/decisions/025-anonymous-page-cache.md).
 *
 * - Only GET documents of an allow-listed path, from a visitor with no session cookie, and only
 *   200 HTML responses that set no cookie but the CSRF and visitor cookies, are kept.
 * - What differs per visitor is put back on every hit: the CSP nonce (a fresh one per response, as
 *   for any page), the request id shown as the error reference, the visitor's own CSRF token (their cookie's, or a new one with its cookie) and,
 *   on thread pages, the anonymous visitor id cookie. Nothing else in a signed-out page is personal.
 * - An entry lives `ttlSeconds`; any successful mutation handled by this process clears the cache,
 *   so a member's own change is never hidden from them, and `onMutation` tells the other app servers
 *   (LISTEN/NOTIFY, ADR 060), which clear theirs within milliseconds; without it they lag at most the TTL.
 *   The view and search beacons are not such mutations: they change only counters, which may lag the TTL
 *   (clearing on them emptied the cache on every page view).
 * - Views are counted by the page's beacon POST, so a cached page still counts its views.
 */
const CACHEABLE = [/^\/$/, /^\/questions$/, /^\/categories$/, /^\/tags$/, /^\/questions\/\d+\/[^/]+$/, /^\/categories\/[^/]+$/, /^\/tags\/[^/]+$/];
const THREAD_PAGE = /^\/questions\/\d+\/[^/]+$/;
// tw_lang: the language switcher's preference, part of the key below (ADR 055).
const VISITOR_COOKIES = new Set(["tw_csrf", "tw_vid", "tw_lang"]);
/** POSTs that only count (views, searches): they do not clear the cache. */
const BEACONS = [/^\/questions\/\d+\/view$/, /^\/kb\/articles\/\d+\/view$/, /^\/search\/log$/];
const TOKEN_IN_PAGE = /"csrfToken":"([^"\\]{16,200})"/;

/** The page as bytes with holes for the nonce, the CSRF token and the request id, each piece gzipped once (page-template.ts). */
type Entry = { page: PageTemplate; headers: [string, string][]; expires: number };

export type AnonymousPageCache = {
  middleware: express.RequestHandler;
  clear: () => void;
  readonly size: number;
};

function cookieNames(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(";").map((part) => part.split("=")[0]!.trim()).filter(Boolean);
}

function cacheKey(req: express.Request): string | null {
  if (req.method !== "GET" || "_data" in req.query) return null;
  if (!CACHEABLE.some((pattern) => pattern.test(req.path))) return null;
  if (cookieNames(req.headers.cookie).some((name) => !VISITOR_COOKIES.has(name))) return null;
  // Keyed by the language the page is rendered in, decided exactly as the root decides it for a visitor.
  return `${visitorLanguage(req.headers.cookie, req.get("accept-language"))} ${req.originalUrl}`;
}

export function createAnonymousPageCache({
  ttlSeconds,
  maxEntries = 300,
  maxBytes = 32 * 1024 * 1024,
  onMutation,
  onLookup,
}: {
  ttlSeconds: number;
  maxEntries?: number;
  maxBytes?: number;
  /** After a successful mutation here (the cache is cleared already): tell the other app servers. */
  onMutation?: () => void;
  /** Each lookup of a cacheable request: found (hit) or not (miss), for /metrics. */
  onLookup?: (hit: boolean) => void;
}): AnonymousPageCache {
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.page.bytes;
    entries.delete(key);
  };
  const store = (key: string, entry: Entry) => {
    remove(key);
    while (entries.size >= maxEntries || (entries.size > 0 && bytes + entry.page.bytes > maxBytes)) remove(entries.keys().next().value!);
    entries.set(key, entry);
    bytes += entry.page.bytes;
  };
  const clear = () => {
    entries.clear();
    bytes = 0;
  };

  async function serveHit(req: express.Request, res: express.Response, entry: Entry) {
    const headers = new Headers();
    if (req.headers.cookie) headers.set("cookie", req.headers.cookie);
    const [token, csrfCookie] = await getCsrf().commitToken(new Request("http://local/", { headers }));
    const cookies = csrfCookie ? [csrfCookie] : [];
    if (THREAD_PAGE.test(req.path)) {
      const visitor = await ensureVisitorId(new Request("http://local/", { headers }));
      if (visitor.setCookie) cookies.push(visitor.setCookie);
    }
    const nonce = res.locals.nonce as string;
    // The error reference in the page is this request's id (made by the server: ADR 028), not the first visitor's.
    const page = fillTemplate(entry.page, [nonce, token, String(res.getHeader("x-request-id"))]);
    for (const [name, value] of entry.headers) res.setHeader(name, value);
    if (cookies.length) res.setHeader("Set-Cookie", cookies);
    res.setHeader("X-Page-Cache", "hit");
    res.status(200);
    sendWhole(req, res, page.text, page.gzip);
  }

  const middleware: express.RequestHandler = (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS") {
      if (BEACONS.some((pattern) => pattern.test(req.path))) return next();
      res.on("finish", () => {
        if (res.statusCode >= 400) return;
        clear();
        onMutation?.();
      });
      return next();
    }
    if (ttlSeconds <= 0) return next();
    const key = cacheKey(req);
    if (!key) return next();
    const hit = entries.get(key);
    const fresh = !!hit && hit.expires > Date.now();
    onLookup?.(fresh);
    if (hit && fresh) {
      serveHit(req, res, hit).catch(next);
      return;
    }
    if (hit) remove(key);

    // A miss: let Remix answer; the adapter leaves the page it sent in res.locals (uncompressed).
    res.on("finish", () => remember(key, res));
    next();
  };

  function remember(key: string, res: express.Response) {
    const whole = res.locals[WHOLE_BODY_LOCAL] as Buffer | undefined;
    if (!whole || res.statusCode !== 200 || !String(res.getHeader("content-type") ?? "").startsWith("text/html")) return;
    const setCookie = res.getHeader("set-cookie");
    const cookies = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [String(setCookie)];
    if (cookies.some((cookie) => !VISITOR_COOKIES.has(cookie.split("=")[0]!.trim()))) return;
    const body = whole.toString("utf8");
    const token = TOKEN_IN_PAGE.exec(body)?.[1];
    const nonce = res.locals.nonce as string | undefined;
    const requestId = res.getHeader("x-request-id");
    if (!token || !nonce || typeof requestId !== "string") return;
    const headers: [string, string][] = [];
    for (const name of ["content-type", "cache-control", "vary", "content-language", "link"]) {
      const value = res.getHeader(name);
      if (value !== undefined) headers.push([name, String(value)]);
    }
    // Three distinct holes (a nonce, a token and a request id never equal one another).
    if (new Set([nonce, token, requestId]).size !== 3) return;
    store(key, { page: compileTemplate(body, [nonce, token, requestId]), headers, expires: Date.now() + ttlSeconds * 1000 });
  }

  return {
    middleware,
    clear,
    get size() {
      return entries.size;
    },
  };
}
