import { Fragment } from "react";
import { isSafeLinkHref } from "~/modules/content/rich-text.ts";

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Plain text with its http(s) addresses made into links (comments). Everything else stays text. */
export function LinkifiedText({ text }: { text: string }) {
  const parts: (string | { href: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(text.slice(last, index));
    // The same rule as links in posts (no credentials, no odd characters); anything else stays text.
    parts.push(isSafeLinkHref(match[0]) ? { href: match[0] } : match[0]);
    last = index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, i) =>
        typeof part === "string" ? (
          <Fragment key={i}>{part}</Fragment>
        ) : (
          <a key={i} href={part.href} rel="nofollow ugc noopener">
            {part.href}
          </a>
        ),
      )}
    </>
  );
}
