import { AsyncLocalStorage } from "node:async_hooks";

/**
 * A place for values that belong to one HTTP request, such as its signed-in user. The HTTP server
 * (app/server/remix-adapter.ts) runs Remix for each request inside a scope it makes for that request,
 * so every loader and action of the request sees the same scope and no other request can reach it.
 * Nothing a client sends (a header, a query parameter, an unsigned cookie) selects a scope; a scope
 * is gone when its request ends (docs/decisions/028-request-identity.md).
 */
const storage = new AsyncLocalStorage<Map<symbol, unknown>>();

const CLIENT_IP = Symbol("client-ip");

/**
 * Runs `fn` (one request's Remix handler) in a new scope. `clientIp` is the address the HTTP server
 * decided for this request (the socket's, or a trusted proxy's forwarded one; never a raw header).
 */
export function runInRequestScope<T>(fn: () => T, clientIp?: string): T {
  const scope = new Map<symbol, unknown>();
  if (clientIp) scope.set(CLIENT_IP, clientIp);
  return storage.run(scope, fn);
}

/** The current request's client address, for the audit log; null outside a request (jobs, scripts, tests). */
export function requestClientIp(): string | null {
  const value = storage.getStore()?.get(CLIENT_IP);
  return typeof value === "string" ? value : null;
}

/**
 * `make()` once per request for `key`, then the same value for the rest of that request. Outside a
 * request (jobs, scripts, unit tests) nothing is shared: `make()` runs every time.
 */
export function onceForRequest<T>(key: symbol, make: () => T): T {
  const scope = storage.getStore();
  if (!scope) return make();
  if (scope.has(key)) return scope.get(key) as T;
  const value = make();
  scope.set(key, value);
  return value;
}
