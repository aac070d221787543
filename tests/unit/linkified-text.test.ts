import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import { LinkifiedText } from "~/components/linkified-text.tsx";

const render = (text: string) => renderToStaticMarkup(createElement(LinkifiedText, { text }));

test("comment links become nofollow links; everything else stays escaped text", () => {
  expect(render("See https://docs.example.com/a?b=1. Thanks")).toBe('See <a href="https://docs.example.com/a?b=1" rel="nofollow ugc noopener">https://docs.example.com/a?b=1</a>. Thanks');
  expect(render("<script>alert(1)</script> javascript:alert(1)")).toBe("&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)");
  expect(render('x https://a.example/"onmouseover=alert(1)')).toBe('x <a href="https://a.example/" rel="nofollow ugc noopener">https://a.example/</a>&quot;onmouseover=alert(1)');
});

test("@mentions of the handles known when the comment was written become profile links; others stay text", () => {
  const withMentions = (text: string, mentions: string[]) => renderToStaticMarkup(createElement(LinkifiedText, { text, mentions }));
  expect(withMentions("Thanks @Ann-Lee, and @nobody too", ["ann-lee"])).toBe('Thanks <a href="/u/ann-lee" class="mention">@Ann-Lee</a>, and @nobody too');
  // Not inside an e-mail address or a URL, and Chinese text right before the @ is fine.
  expect(withMentions("mail ann-lee@example.com 或者问@ann-lee", ["ann-lee"])).toBe('mail ann-lee@example.com 或者问<a href="/u/ann-lee" class="mention">@ann-lee</a>');
  expect(withMentions("see https://x.example/@ann-lee", ["ann-lee"])).toBe('see <a href="https://x.example/@ann-lee" rel="nofollow ugc noopener">https://x.example/@ann-lee</a>');
});
