import { getI18n } from "./i18n.ts";

type Match = { id: string; data?: unknown };

/**
 * Page titles and descriptions in the page's language (ADR 055). Meta functions have no hooks, so
 * the language comes from the root loader's data, as it does for `<html lang>`.
 */
export function metaT(matches: readonly Match[]) {
  const root = matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined;
  const lang = root?.lang ?? "en";
  // The memoized translator the instance keeps per scope (i18n.ts), not its `t`, which copies its options on
  // every call: a page title is two calls, 0.2 ms of every signed-in page in profiles (issue 25).
  return getI18n(lang).getFixedT(lang);
}

/** "<text> | Threadwise": a catalog key (with its values) or, for member-written titles, `{ text }`. */
export function pageTitle(matches: readonly Match[], what: string | { text: string }, values?: Record<string, unknown>): string {
  const t = metaT(matches);
  const text = typeof what === "string" ? t(what, values) : what.text;
  return `${text} | ${t("site.name")}`;
}
