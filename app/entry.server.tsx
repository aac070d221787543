import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { getI18n } from "~/utils/i18n.ts";
import { visitorLanguage } from "~/utils/language.server.ts";
import { logger } from "~/utils/logger.server.ts";
import { NonceProvider } from "~/utils/nonce.tsx";

export { runtime } from "~/utils/runtime.server.ts";
// The HTTP server runs each request inside its own scope (app/server/remix-adapter.ts).
export { runInRequestScope } from "~/utils/request-scope.server.ts";

const ABORT_DELAY = 5_000;

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

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        // The whole page is rendered before anything is sent (no route defers data, so streaming
        // gains nothing): one body means one compressed write instead of a flush per 2 KB chunk,
        // which cost about a fifth of a page's server time (docs/benchmarks.md).
        onAllReady() {
          shellRendered = true;
          const body = new PassThrough();
          const chunks: Buffer[] = [];
          body.on("data", (chunk: Buffer) => chunks.push(chunk));
          body.on("end", () => {
            responseHeaders.set("Content-Type", "text/html; charset=utf-8");
            resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
          });
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error({ err: error, requestId: loadContext.requestId }, "render error");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/** Unexpected errors from loaders and actions: logged once with the request id; users see a generic page. */
export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  if (error instanceof Response) return;
  logger.error({ err: error, url: request.url, requestId: context.requestId }, "unhandled error");
}
