/**
 * Redirect targets that leave the site once a browser (WHATWG URL parsing, which drops tabs and
 * newlines and trims spaces and controls) reads them, or that are no path at all. Issue 16, item 2.
 */
export const HOSTILE_REDIRECTS = [
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "/ /evil.example",
  "/\u0000/evil.example",
  "/\u00a0/evil.example",
  "/\u3000/evil.example",
  "/.//evil.example",
  "/a/..//evil.example",
  "/./\t/evil.example",
  "https://evil.example",
  "http:evil.example",
  "HTTPS://evil.example/account",
  "javascript:alert(document.cookie)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  "",
];

