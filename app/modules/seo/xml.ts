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
