import "@remix-run/node";
import type { Logger } from "pino";

declare module "@remix-run/node" {
  interface AppLoadContext {
    nonce: string;
    requestId: string;
    log: Logger;
    /** A document request's post bodies, kept for its markup only (app/utils/document-html.tsx); none on a data request. */
    documentHtml?: Map<string, string>;
  }
}

