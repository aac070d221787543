import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ThreadListItem } from "~/modules/questions/questions.schema.ts";
import { useFormat } from "~/utils/intl.ts";
import { langAttr } from "~/modules/content/content-lang.ts";
import { UserName } from "./user-name.tsx";

/** A category as the home page and /categories show it: name, description, count, latest activity. */
export type CategoryCardData = {
  id: number; slug: string; name: string; description: string; threadCount: number;
  latest: { id: string; slug: string; title: string; lastActivityAt: string } | null;
};

export function CategoryCards({ categories, now, headingLevel = 3 }: { categories: CategoryCardData[]; now: number; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const { timeAgo } = useFormat();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  if (categories.length === 0) return <p className="card">{t("frontdoor.noCategories")}</p>;
  return (
    <ul className="category-cards">
      {categories.map((c) => (
        <li key={c.id} className="card category-card" data-testid="category-card">
          <Heading className="category-card-title">
            <Link to={`/categories/${c.slug}`} translate="no">
              {c.name}
            </Link>
          </Heading>
          {c.description ? (
            <p className="category-card-description" translate="no">
              {c.description}
            </p>
          ) : null}
          <p className="muted category-card-meta">
            <span>{t("frontdoor.questionCount", { count: c.threadCount })}</span>
            {c.latest ? (
              <>
                {" · "}
                <span>
                  {t("frontdoor.lastActivity", { age: timeAgo(c.latest.lastActivityAt, now) })}{" "}
                  <Link to={`/questions/${c.latest.id}/${c.latest.slug}`} className="category-card-latest" translate="no">
                    {c.latest.title}
                  </Link>
                </span>
              </>
            ) : null}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** A short list of questions for the home page's columns (titles are h3 under the section's h2). */
export function CompactThreadList({ items, now, empty, testId }: { items: ThreadListItem[]; now: number; empty: string; testId: string }) {
  const { t, i18n } = useTranslation();
  const { timeAgo } = useFormat();
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ol className="compact-threads" data-testid={testId}>
      {items.map((item) => (
        <li key={item.id}>
          <h3 className="compact-thread-title">
            {item.resolved ? <span className="badge resolved-badge">{t("questions.resolved")}</span> : null}{" "}
            <Link to={`/questions/${item.id}/${item.slug}`} lang={langAttr(item.lang, i18n.language)} translate="no">
              {item.title}
            </Link>
          </h3>
          <p className="muted compact-thread-meta">
            <Link to={`/categories/${item.category.slug}`} className="category-link" translate="no">
              {item.category.name}
            </Link>{" "}
            · {t("questions.answers", { count: item.answerCount })} · {t("questions.asked", { age: timeAgo(item.createdAt, now) })} <UserName user={item.author} />
          </p>
        </li>
      ))}
    </ol>
  );
}
