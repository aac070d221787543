import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "./forms.tsx";

type ModeratedPost = { id: string; hidden: boolean; can: { delete: boolean; moderate: boolean } };

/** Delete (authors, moderators) and hide/show (moderators) buttons in a post's footer; POST only. */
export function ModerationActions({ post, kind }: { post: ModeratedPost; kind: "question" | "answer" }) {
  const { t } = useTranslation();
  if (!post.can.delete && !post.can.moderate) return null;
  const button = (intent: "delete" | "hide" | "unhide", label: string, confirm?: string) => (
    <Form
      method="post"
      preventScrollReset
      style={{ display: "inline" }}
      onSubmit={(event) => {
        if (confirm && !window.confirm(confirm)) event.preventDefault();
      }}
    >
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="postId" value={post.id} />
      {" · "}
      <button type="submit" className="link-button">
        {label}
      </button>
    </Form>
  );
  return (
    <>
      {post.hidden ? <span className="badge"> {t("questions.hiddenMark")}</span> : null}
      {post.can.moderate ? (post.hidden ? button("unhide", t("questions.unhide")) : button("hide", t("questions.hide"))) : null}
      {post.can.delete ? button("delete", t("questions.delete"), kind === "question" ? t("questions.confirmDeleteQuestion") : t("questions.confirmDeleteAnswer")) : null}
    </>
  );
}
