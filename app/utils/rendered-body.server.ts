/**
 * The bytes of a page this server rendered, kept on the Response it made (ADR 078), so the HTTP layer
 * sends them without reading the Response's body stream back: app/server/remix-adapter.ts. The key is a
 * registered symbol because the HTTP server and the app bundle hold different copies of this module; only
 * server code sets it, on a Response it created, and nothing a client sends can reach it.
 */
const RENDERED_BODY = Symbol.for("threadwise.renderedBody");

type WithBody = Response & { [RENDERED_BODY]?: Buffer };

export function withRenderedBody(response: Response, body: Buffer): Response {
  (response as WithBody)[RENDERED_BODY] = body;
  return response;
}

/** The rendered bytes of `response`, when this server rendered it whole; else undefined (read its body). */
export function renderedBody(response: Response): Buffer | undefined {
  return (response as WithBody)[RENDERED_BODY];
}
