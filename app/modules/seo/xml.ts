/**
 * XML text for sitemaps and feeds. Characters XML 1.0 forbids (C0 controls other than tab, CR and LF;
 * lone surrogates; U+FFFE and U+FFFF) are dropped, since one of them in a title would make the whole
 * document unreadable to every feed reader and crawler; the five markup characters are escaped.
 * Everything else, Chinese and Romanian included, is written as it is (the documents are UTF-8).
 */
export function xmlText(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** An XML response: UTF-8, cached briefly by browsers and proxies, never sniffed as HTML. */
export function xmlResponse(body: string, contentType = "application/xml"): Response {
  return new Response(body, {
    headers: { "Content-Type": `${contentType}; charset=utf-8`, "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff" },
  });
}

/**
 * A finished XML document kept gzipped (a sitemap part, ADR 073), with its weak ETag: 304 without a body
 * when the client names that ETag in If-None-Match (crawlers do), else the gzipped bytes as they are; the
 * HTTP layer decompresses them for a client that does not accept gzip (app/server/remix-adapter.ts).
 */
export function gzippedXmlResponse(request: Request, doc: { gzip: Uint8Array<ArrayBuffer>; etag: string; kept: boolean }): Response {
  const headers = new Headers({ "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff", ETag: doc.etag, Vary: "Accept-Encoding" });
  if (doc.kept) headers.set("X-Sitemap-Cache", "hit");
  if (namesEtag(request.headers.get("If-None-Match"), doc.etag)) return new Response(null, { status: 304, headers });
  headers.set("Content-Encoding", "gzip");
  return new Response(doc.gzip, { headers });
}

/** If-None-Match holds `etag` (or `*`), compared weakly (RFC 9110, 13.1.2). */
function namesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}
