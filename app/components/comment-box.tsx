import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { COMMENT_MIN } from "~/modules/questions/questions.schema.ts";
import { shortestLength } from "~/modules/content/text-length.ts";
import { CsrfInput } from "./forms.tsx";
import { useOpenedByLink } from "./use-opened-by-link.ts";

/**
 * "Add a comment" under a post, drawn only when it is opened (ADR 080), as Stack Overflow does: a page of
 * ten answers used to render eleven comment forms of seven elements each, a sixth of the signed-in page's
 * markup, for a box few readers use. "Add a comment" is a link to the same page with `?comment=<post id>`,
 * which renders this post's form open, so it works without JavaScript; with it, the link opens the form in
 * place and puts the caret in the box. The form stays open after a comment is posted (it empties, keyed by
 * the comment count, so a late second click sends nothing).
 */
export function CommentBox({
  postId,
  commentCount,
}: {
  postId: string;
  commentCount: number;
}) {
  const { t } = useTranslation();
  const { open, opened, setOpened, href } = useOpenedByLink("comment", postId);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (opened) input.current?.focus();
  }, [opened]);
  if (!open) {
    return (
      // A plain link (a Remix <Link> costs a route resolution per post): the page reloads without JavaScript.
      <a
        className="comment-toggle"
        href={href}
        rel="nofollow"
        onClick={(event) => {
          event.preventDefault();
          setOpened(true);
        }}
      >
        {t("questions.comment")}
      </a>
    );
  }
  return (
    <Form
      key={`comment-${commentCount}`}
      method="post"
      className="inline-form comment-form"
      preventScrollReset
    >
      <CsrfInput />
      <input type="hidden" name="intent" value="comment" />
      <input type="hidden" name="postId" value={postId} />
      <label className="visually-hidden" htmlFor={`comment-${postId}`}>
        {t("questions.comment")}
      </label>
      <input
        ref={input}
        id={`comment-${postId}`}
        type="text"
        name="body"
        placeholder={t("questions.comment")}
        maxLength={600}
        minLength={shortestLength(COMMENT_MIN)}
        required
        style={{ flex: "1 1 14rem", width: "auto" }}
      />
      <button type="submit" className="button secondary small">
        {t("questions.postComment")}
      </button>
    </Form>
  );
}
