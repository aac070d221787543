import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { getI18n } from "~/utils/i18n.ts";
import { visitorLanguage } from "~/utils/language.server.ts";
import { withRenderedBody } from "~/utils/rendered-body.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { NonceProvider } from "~/utils/nonce.tsx";
import { DocumentHtmlContext } from "~/utils/document-html.tsx";

export { runtime } from "~/utils/runtime.server.ts";
// The HTTP server runs each request inside its own scope (app/server/remix-adapter.ts).
export { runInRequestScope } from "~/utils/request-scope.server.ts";

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.nonce ?? "";
  // The root loader chose the language (member's setting, cookie, Accept-Language: ADR 055); a page
  // rendered without its data (an early error) falls back to the visitor's choice.
  const rootData = remixContext.staticHandlerContext.loaderData?.root as { lang?: string } | undefined;
  const lang = rootData?.lang ?? visitorLanguage(request.headers.get("cookie"), request.headers.get("accept-language"));
  const i18n = getI18n(lang);
  responseHeaders.set("Content-Language", lang);
  responseHeaders.append("Vary", "Accept-Language, Cookie");

  // The whole page as one string (no route defers data and nothing suspends, so streaming gains nothing):
  // renderToString builds it from strings, where renderToPipeableStream encoded every 2 KB into bytes and
  // wrote them to a stream that was then read back whole (ADR 078). A render error throws here, and Remix
  // renders the page again with the error (its ErrorBoundary), as it does for a loader's.
  const html = renderToString(
    <NonceProvider value={nonce}>
      <I18nextProvider i18n={i18n}>
        <DocumentHtmlContext.Provider value={loadContext.documentHtml ?? null}>
          <RemixServer context={remixContext} url={request.url} nonce={nonce} />
        </DocumentHtmlContext.Provider>
      </I18nextProvider>
    </NonceProvider>,
  );
  const body = Buffer.from(`<!DOCTYPE html>${html}`);
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return withRenderedBody(new Response(body, { headers: responseHeaders, status: responseStatusCode }), body);
}

/** Unexpected errors from loaders and actions: logged once with the request id; users see a generic page. */
export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  if (error instanceof Response) return;
  logger.error({ err: error, url: request.url, requestId: context.requestId }, "unhandled error");
}
