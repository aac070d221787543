import { useTranslation } from "react-i18next";
import { PSEUDO_LANGUAGE, pseudoText } from "./i18n.ts";

/**
 * Dates, relative times and numbers in the page's language, by Intl (ADR 055). Formatters are made
 * once per language and kept: building an Intl formatter costs far more than using one. Dates are
 * shown in UTC, so the server and the browser render the same text (no hydration drift).
 * The pseudo-locale formats as English and marks the result, as its catalog does.
 */
type Formatters = { relative: Intl.RelativeTimeFormat; date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat; number: Intl.NumberFormat; list: Intl.ListFormat; mark: (s: string) => string };

const cache = new Map<string, Formatters>();

function formatters(lng: string): Formatters {
  let f = cache.get(lng);
  if (!f) {
    const pseudo = lng === PSEUDO_LANGUAGE;
    const locale = pseudo ? "en" : lng;
    f = {
      relative: new Intl.RelativeTimeFormat(locale, { numeric: "auto" }),
      date: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }),
      dateTime: new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", timeZoneName: "short" }),
      number: new Intl.NumberFormat(locale),
      list: new Intl.ListFormat(locale, { style: "long", type: "conjunction" }),
      mark: pseudo ? pseudoText : (s) => s,
    };
    cache.set(lng, f);
  }
  return f;
}

const STEPS: [number, Intl.RelativeTimeFormatUnit][] = [
  [60, "second"],
  [60, "minute"],
  [24, "hour"],
  [30, "day"],
  [12, "month"],
  [Number.POSITIVE_INFINITY, "year"],
];

/** "3 hours ago" / "acum 3 ore" / "3小时前", from a fixed "now" so server and browser agree. */
export function timeAgo(iso: string | Date, now: number, lng = "en"): string {
  const f = formatters(lng);
  let value = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  for (const [size, unit] of STEPS) {
    if (value < size) return f.mark(f.relative.format(unit === "second" && value < 10 ? 0 : -value, unit));
    value = Math.floor(value / size);
  }
  return f.mark(f.relative.format(-value, "year"));
}

/** A calendar date ("6 Dec 2026", "6 dec. 2026", "2026年12月6日"), in UTC. */
export function formatDate(iso: string | Date, lng = "en"): string {
  const f = formatters(lng);
  return f.mark(f.date.format(new Date(iso)));
}

/** A date and time with its zone, in UTC. */
export function formatDateTime(iso: string | Date, lng = "en"): string {
  const f = formatters(lng);
  return f.mark(f.dateTime.format(new Date(iso)));
}

/** A number with the language's grouping ("12,345", "12.345", "12,345"). */
export function formatNumber(n: number, lng = "en"): string {
  return formatters(lng).number.format(n);
}

/** "Billing, Mobile apps and Security" / "Billing, Mobile apps și Security" / "Billing、Mobile apps和Security". */
export function formatList(items: readonly string[], lng = "en"): string {
  return formatters(lng).list.format(items);
}

/** The formatters bound to the page's language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return {
    lng,
    timeAgo: (iso: string | Date, now: number) => timeAgo(iso, now, lng),
    date: (iso: string | Date) => formatDate(iso, lng),
    dateTime: (iso: string | Date) => formatDateTime(iso, lng),
    number: (n: number) => formatNumber(n, lng),
  };
}
