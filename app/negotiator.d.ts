// negotiator (jshttp, the Accept-* parser Express itself uses) ships no types; only this is used.
declare module "negotiator" {
  export default class Negotiator {
    constructor(request: { headers: Record<string, string | undefined> });
    languages(available?: string[]): string[];
  }
}
