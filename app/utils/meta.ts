import { getI18n } from "./i18n.ts";

type Match = { id: string; data?: unknown };

/**
 * One fixed `t` per language: the instance's own `t` copies its whole options object on every call, where
 * `getFixedT` gives the memoized translator (`memoizePlainKeys`, i18n.ts); a page title was two of those
 * calls, 0.2 ms of every signed-in page in profiles (issue 25).
 */
const translators = new Map<string, ReturnType<ReturnType<typeof getI18n>["getFixedT"]>>();

/**
 * Page titles and descriptions in the page's language (ADR 055). Meta functions have no hooks, so
 * the language comes from the root loader's data, as it does for `<html lang>`.
 */
export function metaT(matches: readonly Match[]) {
  const root = matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined;
  const lang = root?.lang ?? "en";
  let t = translators.get(lang);
  if (!t) {
    t = getI18n(lang).getFixedT(lang);
    if (translators.size < 16) translators.set(lang, t);
  }
  return t;
}

/** "<text> | Threadwise": a catalog key (with its values) or, for member-written titles, `{ text }`. */
export function pageTitle(matches: readonly Match[], what: string | { text: string }, values?: Record<string, unknown>): string {
  const t = metaT(matches);
  const text = typeof what === "string" ? t(what, values) : what.text;
  return `${text} | ${t("site.name")}`;
}
