import type { AppLoadContext } from "@remix-run/node";
import { createContext, useContext } from "react";

/**
 * Sanitized HTML (a post's body) that a page carries once, in its markup, and not a second time in its
 * hydration data (ADR 085). On a document request the loader hands each body to the request's load
 * context (made by the HTTP server for that request alone) and sends `null` in its data; entry.server
 * renders the bodies from there. In the browser, entry.client reads each keyed element's HTML from the
 * page before hydrating, so the first render matches the markup and later renders keep it. A data request
 * (`?_data`: client navigation, revalidation after a vote) has no such map, and its data carries the HTML.
 */
export type DocumentHtml = Map<string, string>;

export const DocumentHtmlContext = createContext<DocumentHtml | null>(null);

const KEY_ATTRIBUTE = "data-html-key";

/** The key of each kind of body: one place, used by the loader that keeps it and the component that shows it. */
export const htmlKey = {
  post: (id: string | number | bigint) => `post-${id}`,
  article: (id: string | number | bigint) => `article-${id}`,
};

/** Loader side: the HTML itself for a data request; `null` (kept for the markup) for a document request. */
export function htmlForData(context: AppLoadContext, key: string, html: string): string | null {
  if (!context.documentHtml) return html;
  context.documentHtml.set(key, html);
  return null;
}

/** Browser side, before hydration: the HTML of every keyed element as the server sent it. */
export function collectDocumentHtml(root: ParentNode): DocumentHtml {
  const found: DocumentHtml = new Map();
  for (const element of root.querySelectorAll(`[${KEY_ATTRIBUTE}]`)) found.set(element.getAttribute(KEY_ATTRIBUTE)!, element.innerHTML);
  return found;
}

/** A `<div>` of sanitized HTML: from the data when it has it, else the page's own copy. */
export function SanitizedHtml({ htmlKey, html, className, lang }: { htmlKey: string; html: string | null; className?: string; lang?: string }) {
  const documentHtml = useContext(DocumentHtmlContext);
  const value = html ?? documentHtml?.get(htmlKey) ?? "";
  return <div className={className} lang={lang} {...{ [KEY_ATTRIBUTE]: htmlKey }} dangerouslySetInnerHTML={{ __html: value }} />;
}
