import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { langAttr } from "~/modules/content/content-lang.ts";
import type { ThreadListItem } from "~/modules/questions/questions.schema.ts";
import { timeAgo } from "~/utils/intl.ts";
import { AppLink } from "./app-link.tsx";
import { UserName } from "./user-name.tsx";


/** A thread's category and tags, as links (AppLink: a list draws a hundred of them, ADR 080); used in lists and on the thread page. */
export function CategoryAndTags({ category, tags }: { category: { slug: string; name: string }; tags: string[] }) {
  const { t } = useTranslation();
  return (
    <>
      <AppLink to={`/categories/${category.slug}`} className="category-link" translate="no">
        {category.name}
      </AppLink>
      <ul className="tag-list" aria-label={t("questions.tags")}>
        {tags.map((tag) => (
          <li key={tag}>
            <AppLink to={`/tags/${encodeURIComponent(tag)}`} className="tag" translate="no">
              {tag}
            </AppLink>
          </li>
        ))}
      </ul>
    </>
  );
}

/** "Older questions": the keyset cursor of the next page, when there is one. */
export function NextPageLink({ to }: { to: string | null }) {
  const { t } = useTranslation();
  if (!to) return null;
  return (
    <p style={{ marginTop: "1rem" }}>
      <Link to={to} rel="next">
        {t("questions.next")}
      </Link>
    </p>
  );
}

/** The question list used by /questions, category and tag pages. */
export function ThreadList({ items, now }: { items: ThreadListItem[]; now: number }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p className="card">{t("questions.empty")}</p>;
  return (
    <ol className="thread-list">
      {items.map((item) => (
        <li key={item.id} className="thread-row" data-testid="thread-row">

          <div className="thread-stats">
            <span>{t("questions.votes", { count: item.score })}</span>
            <span className={item.resolved ? "answers resolved" : item.answerCount > 0 ? "answers" : ""}>{t("questions.answers", { count: item.answerCount })}</span>
            <span>{t("questions.views", { count: item.viewCount })}</span>
          </div>
          <div className="thread-main">
            <h2 className="thread-title">
              {item.pinned ? <span className="badge pinned-badge">{t("threadStates.pinned")}</span> : null}
              {item.resolved ? <span className="badge resolved-badge">{t("questions.resolved")}</span> : null}{" "}
              <AppLink to={`/questions/${item.id}/${item.slug}`} lang={langAttr(item.lang, i18n.language)}>
                {item.title}
              </AppLink>
            </h2>
            <div className="thread-meta">
              <CategoryAndTags category={item.category} tags={item.tags} />
              <span className="muted">
                {t("questions.asked", { age: timeAgo(item.createdAt, now, i18n.language) })} <UserName user={item.author} />
              </span>
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
