import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput } from "~/components/forms.tsx";

export type ThreadKb = { article: { id: string; title: string; status: string; path: string } | null; canPromote: boolean };

/**
 * The knowledge base on a thread page: the banner pointing to the article this thread was promoted
 * into (everyone, once published; staff see drafts too), and "Promote to article" for staff and
 * moderators on threads that have none.
 */
export function KbThreadPanel({ threadId, kb }: { threadId: string; kb: ThreadKb }) {
  const { t } = useTranslation();
  const { article, canPromote } = kb;
  if (article && (article.status === "published" || canPromote)) {
    return (
      <aside className="kb-banner" aria-label={t("kb.banner.label")} data-testid="kb-banner">
        <p>
          <strong>{t("kb.banner.text")}</strong> <Link to={article.path}>{article.title}</Link>
          {article.status !== "published" ? <span className="badge"> {t(`kb.status.${article.status}`)}</span> : null}
        </p>
      </aside>
    );
  }
  if (!article && canPromote) {
    return (
      <Form method="post" action="/kb/promote" className="kb-promote">
        <CsrfInput />
        <input type="hidden" name="threadIds" value={threadId} />
        <button type="submit" className="button secondary small">
          {t("kb.promote.button")}
        </button>
      </Form>
    );
  }
  return null;
}
