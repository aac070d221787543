import { Fragment } from "react";
import { splitMentions } from "~/modules/content/mentions.ts";
import { isSafeLinkHref } from "~/modules/content/rich-text.ts";

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/**
 * Plain text with its http(s) addresses made into links (comments), and the @mentions of `mentions`
 * (handles known when the comment was written) made into profile links. Everything else stays text.
 */
export function LinkifiedText({ text, mentions = [] }: { text: string; mentions?: readonly string[] }) {
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
          <Fragment key={i}>
            {splitMentions(part, mentions).map((piece, j) =>
              typeof piece === "string" ? (
                <Fragment key={j}>{piece}</Fragment>
              ) : (
                <a key={j} href={`/u/${piece.handle}`} className="mention">
                  {piece.text}
                </a>
              ),
            )}
          </Fragment>
        ) : (
          <a key={i} href={part.href} rel="nofollow ugc noopener">
            {part.href}
          </a>
        ),
      )}
    </>
  );
}
