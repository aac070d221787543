import "@remix-run/node";
import type { Logger } from "pino";

declare module "@remix-run/node" {
  interface AppLoadContext {
    nonce: string;
    requestId: string;
    log: Logger;
  }
}

