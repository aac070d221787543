import Negotiator from "negotiator";
import { DEFAULT_LANGUAGE, matchLanguage, PSEUDO_LANGUAGE, pseudoEnabled, type Language } from "./i18n.ts";

/** The language of a page or e-mail: a supported language, or the pseudo-locale in its test mode. */
export type PageLanguage = Language | typeof PSEUDO_LANGUAGE;

/**
 * Only this much of an Accept-Language header is read: browsers send well under 100 bytes, and the
 * parser's cost grows with the input, so a 100 KB header costs what a 256-byte one does.
 */
const ACCEPT_LANGUAGE_BOUND = 256;
const MAX_TAGS = 16;

/**
 * The best supported language of an Accept-Language header, by q-value then order (negotiator, the
 * parser Express uses), or English. In the PSEUDO_LOCALE test mode, "en-XA" is honoured too.
 */
export function pickLanguage(acceptLanguage: string | null | undefined): PageLanguage {
  if (!acceptLanguage) return DEFAULT_LANGUAGE;
  let header = acceptLanguage.slice(0, ACCEPT_LANGUAGE_BOUND);
  if (acceptLanguage.length > ACCEPT_LANGUAGE_BOUND) header = header.slice(0, Math.max(0, header.lastIndexOf(",")));
  const wanted = new Negotiator({ headers: { "accept-language": header } }).languages().slice(0, MAX_TAGS);
  for (const tag of wanted) {
    if (tag === "*") return DEFAULT_LANGUAGE;
    if (tag.toLowerCase() === "en-xa" && pseudoEnabled()) return PSEUDO_LANGUAGE;
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}

/** The preference cookie a visitor's switcher sets (members' choice is stored on their account too). */
export const LANGUAGE_COOKIE = "tw_lang";

function cookieValue(cookieHeader: string | null | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * A visitor's language: the switcher's cookie, else Accept-Language. The anonymous page cache keys
 * on this, and the root uses it when nobody is signed in, so both always agree.
 */
export function visitorLanguage(cookieHeader: string | null | undefined, acceptLanguage: string | null | undefined): PageLanguage {
  const cookie = cookieValue(cookieHeader, LANGUAGE_COOKIE);
  if (cookie) {
    if (cookie === PSEUDO_LANGUAGE && pseudoEnabled()) return PSEUDO_LANGUAGE;
    const match = matchLanguage(cookie);
    if (match) return match;
  }
  return pickLanguage(acceptLanguage);
}
