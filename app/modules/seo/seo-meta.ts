import type { MetaDescriptor } from "@remix-run/node";
import { absoluteUrl } from "./seo-urls.ts";

/**
 * The tags every public page gives search engines and link previews (ADR 053, ADR 054): title, a
 * plain-text meta description, `<link rel="canonical">` (absolute), Open Graph and Twitter card tags,
 * Atom feed links, and schema.org JSON-LD. Remix's <Meta> writes `script:ld+json` with `<`, `>`, `&`,
 * U+2028 and U+2029 escaped, so user text in structured data cannot close the script element.
 */

export const SITE_NAME = "Threadwise";
export const DESCRIPTION_MAX = 160;

type MatchLike = { id: string; data: unknown };

/** The site origin the root loader sends (APP_URL: never the request's Host header). */
export function siteOriginOf(matches: readonly MatchLike[]): string {
  const root = matches.find((m) => m.id === "root")?.data as { siteOrigin?: string } | undefined;
  return root?.siteOrigin ?? "";
}

// One segmenter for every call: making one costs more than segmenting a description.
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * What can make a grapheme of several code points: marks and format characters (joiners, prepended signs),
 * Hangul jamo, the halfwidth voiced sound marks, Malayalam's dot reph, and anything outside the BMP (emoji,
 * flags). Text without them (most Latin, Romanian, Chinese) is one grapheme per UTF-16 unit.
 */
const JOINS_THE_ONE_BEFORE = /[\p{M}\p{Cf}\u0d4e\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\uff9e\uff9f]|[\u{10000}-\u{10ffff}]/u;

/**
 * Plain text for a meta description: whitespace collapsed, control characters dropped, cut at a word
 * (or, for text without spaces such as Chinese, a grapheme) boundary before `max` characters, with "…".
 */
export function plainDescription(text: string, max = DESCRIPTION_MAX): string {
  // Only the beginning can be shown: a long question's whole text was cleaned and spread into an array on every
  // page view (5 % of a thread page's loader, ADR 075). Eight times the limit leaves room for collapsed spaces.
  const head = text.length > max * 8 ? text.slice(0, max * 8) : text;
  // eslint-disable-next-line no-control-regex
  const clean = head.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ").replace(/\s+/g, " ").trim();
  if (head.length === text.length && [...clean].length <= max) return clean;
  // The cut keeps fewer than `max` code points, which fit in 2 * max UTF-16 units: only those are looked at
  // (a grapheme split at that end lies past the cut).
  const window = clean.slice(0, max * 2);
  let cut = "";
  if (!JOINS_THE_ONE_BEFORE.test(window)) {
    // Every unit is a grapheme of one code point: the segmenter would give the same cut, at about 0.7 µs per
    // grapheme (a quarter of a millisecond per thread page).
    cut = window.slice(0, max - 1);
  } else {
    let length = 0;
    for (const { segment } of graphemes.segment(window)) {
      const size = [...segment].length;
      if (length + size > max - 1) break;
      cut += segment;
      length += size;
    }
  }
  const space = cut.lastIndexOf(" ");
  if (space > max * 0.6) cut = cut.slice(0, space);
  return `${cut.replace(/[\s.,;:!?，。、；：！？-]+$/u, "")}…`;
}

export type SeoPage = {
  matches: readonly MatchLike[];
  /** What the page is about, without the site name (og:title, twitter:title). */
  title: string;
  /** The document title; defaults to "<title> | Threadwise". */
  documentTitle?: string;
  /** Plain text (never HTML); cut to 160 characters here. */
  description: string;
  /** The canonical path (site-relative, any script). */
  path: string;
  type?: "website" | "article" | "profile";
  /** Pages that must not be indexed (a draft shown to staff). */
  noindex?: boolean;
  /** Atom feeds of the page's content. */
  feeds?: readonly { title: string; path: string }[];
  /** schema.org objects, each written as its own JSON-LD script. */
  jsonLd?: readonly object[];
};

export function seoMeta(page: SeoPage): MetaDescriptor[] {
  const origin = siteOriginOf(page.matches);
  const url = absoluteUrl(origin, page.path);
  const description = plainDescription(page.description);
  const tags: MetaDescriptor[] = [
    { title: page.documentTitle ?? `${page.title} | ${SITE_NAME}` },
    { name: "description", content: description },
    { tagName: "link", rel: "canonical", href: url },
    { property: "og:title", content: page.title },
    { property: "og:description", content: description },
    { property: "og:type", content: page.type ?? "website" },
    { property: "og:url", content: url },
    { property: "og:site_name", content: SITE_NAME },
    { name: "twitter:card", content: "summary" },
    { name: "twitter:title", content: page.title },
    { name: "twitter:description", content: description },
  ];
  if (page.noindex) tags.push({ name: "robots", content: "noindex" });
  for (const feed of page.feeds ?? []) tags.push({ tagName: "link", rel: "alternate", type: "application/atom+xml", title: feed.title, href: absoluteUrl(origin, feed.path) });
  for (const data of page.jsonLd ?? []) tags.push({ "script:ld+json": data as Record<string, unknown> });
  return tags;
}
