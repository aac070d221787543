/**
 * The bytes of a page this server rendered, or the JSON text of a loader's or action's `json()` (kept by the
 * @remix-run/router patch), kept on the Response that made them (ADR 078), so the HTTP layer sends them
 * without reading the Response's body stream back: app/server/remix-adapter.ts. The keys are registered
 * symbols because the HTTP server and the app bundle hold different copies of these modules; only server
 * code sets them, on a Response it created, and nothing a client sends can reach them.
 */
const RENDERED_BODY = Symbol.for("threadwise.renderedBody");
const JSON_TEXT = Symbol.for("threadwise.jsonText");

type WithBody = Response & { [RENDERED_BODY]?: Buffer; [JSON_TEXT]?: string };

export function withRenderedBody(response: Response, body: Buffer): Response {
  (response as WithBody)[RENDERED_BODY] = body;
  return response;
}

/** The bytes of `response` as this server made them (a rendered page, a `json()` body); else undefined (read its body). */
export function renderedBody(response: Response): Buffer | undefined {
  const kept = response as WithBody;
  if (kept.bodyUsed) return undefined;
  if (kept[RENDERED_BODY]) return kept[RENDERED_BODY];
  return typeof kept[JSON_TEXT] === "string" ? Buffer.from(kept[JSON_TEXT]) : undefined;
}
