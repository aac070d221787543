import type express from "express";

/**
 * Headers only a reverse proxy may set. From anyone else they are lies a client tells about itself
 * (its address, the host and scheme it asked for, the id of its request), so the HTTP server drops
 * them unless the connection comes from a proxy that TRUST_PROXY names (ADR 029).
 */
const PROXY_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-prefix", "x-real-ip"];

/** Whether this connection comes from a trusted proxy (Express's "trust proxy", as req.ip and req.protocol use it). */
export function fromTrustedProxy(req: express.Request): boolean {
  const trust = req.app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
  return trust(req.socket.remoteAddress, 0);
}

/** Removes the proxy headers from a request that did not come through a trusted proxy. */
export function dropUntrustedProxyHeaders(req: express.Request): void {
  if (fromTrustedProxy(req)) return;
  for (const name of PROXY_HEADERS) delete req.headers[name];
}

/**
 * The scheme and host (with its port) the client asked for: the trusted proxy's `X-Forwarded-Host`
 * (its first value, as Express reads it), else `Host`. The one answer to "which site is this?" for the
 * Origin check and for the URL Remix sees.
 */
export function requestOrigin(req: express.Request): string {
  let host = fromTrustedProxy(req) ? req.get("x-forwarded-host") : undefined;
  if (host) host = host.split(",")[0]!.trim();
  return `${req.protocol}://${host || req.get("host") || "localhost"}`;
}
