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
  const remove = post.can.delete ? button("delete", t("questions.delete"), kind === "question" ? t("questions.confirmDeleteQuestion") : t("questions.confirmDeleteAnswer")) : null;
  // Separated from the footer's links ("History · Hidden", never "HistoryHidden") and, for moderators, a labelled group.
  return (
    <>
      {post.hidden ? (
        <>
          {" · "}
          <span className="badge">{t("questions.hiddenMark")}</span>
        </>
      ) : null}
      {post.can.moderate ? (
        <span role="group" className="moderator-actions" aria-labelledby={`moderator-actions-${post.id}`}>
          <span id={`moderator-actions-${post.id}`} className="moderator-actions-label">
            {t("frontdoor.moderatorActions")}
          </span>
          {post.hidden ? button("unhide", t("questions.unhide")) : button("hide", t("questions.hide"))}
          {remove}
        </span>
      ) : (
        remove
      )}
    </>
  );
}
