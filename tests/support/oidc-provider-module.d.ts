/**
 * oidc-provider ships no type declarations (and @types/oidc-provider is not installed): the little
 * the tests use of it, typed loosely.
 */
declare module "oidc-provider" {
  import type { RequestListener } from "node:http";
  /* eslint-disable @typescript-eslint/no-explicit-any -- an untyped package */
  export type Configuration = Record<string, any>;
  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    callback(): RequestListener;
    on(event: string, listener: (...args: any[]) => void): this;
  }
}
