import { useTranslation } from "react-i18next";
import { UserName } from "./user-name.tsx";
import type { RevisionWithDiff } from "~/modules/content/revision-diff.ts";

/** A history of revisions, newest first, each with its word diff against the one before. */
export function RevisionList({ revisions }: { revisions: RevisionWithDiff[] }) {
  const { t } = useTranslation();
  return (
    <ol reversed style={{ listStyle: "none", padding: 0 }}>
      {revisions.map((r) => (
        <li key={r.revision} className="card" data-testid="revision">
          <h2>{t("questions.revision", { n: r.revision })}</h2>
          <p className="muted">
            {t("questions.by")} <UserName user={r.editor} /> · <time dateTime={r.createdAt}>{r.createdAt.slice(0, 16).replace("T", " ")} UTC</time>
            {r.reason ? ` · ${r.reason}` : ""}
          </p>
          <div className="diff" style={{ whiteSpace: "pre-wrap" }}>
            {r.parts.map((p, i) => (p.added ? <ins key={i}>{p.value}</ins> : p.removed ? <del key={i}>{p.value}</del> : <span key={i}>{p.value}</span>))}
          </div>
        </li>
      ))}
    </ol>
  );
}
