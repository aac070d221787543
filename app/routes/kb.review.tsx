import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { listArticlesToReview } from "~/modules/kb/kb-queries.server.ts";
import { requireArticleManager } from "~/modules/kb/require-manager.server.ts";
import { pageTitle } from "~/utils/meta.ts";
import { useFormat } from "~/utils/intl.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "kb.review.title") }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireArticleManager(request);
  const scope = new URL(request.url).searchParams.get("owner") === "all" ? "all" : "mine";
  return json({ scope, items: await listArticlesToReview(scope === "all" ? null : user.id) });
}

export default function ReviewRoute() {
  const { t } = useTranslation();
  const format = useFormat();
  const { scope, items } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("kb.review.title")}</h1>
      <p className="muted">{t("kb.review.lead")}</p>
      <nav aria-label={t("kb.review.scope")} className="tabs">
        <Link to="/kb/review" aria-current={scope === "mine" ? "page" : undefined}>
          {t("kb.review.mine")}
        </Link>
        <Link to="/kb/review?owner=all" aria-current={scope === "all" ? "page" : undefined}>
          {t("kb.review.all")}
        </Link>
      </nav>
      {items.length === 0 ? (
        <p className="card">{t("kb.review.empty")}</p>
      ) : (
        <ul className="card kb-review-list">
          {items.map((a) => (
            <li key={a.id} data-testid="review-item">
              <Link to={a.path}>{a.title}</Link>{" "}
              {a.overdue ? <span className="badge warning">{t("kb.review.overdue", { date: a.reviewBy ? format.date(a.reviewBy) : "" })}</span> : null}{" "}
              {a.lowHelpfulness ? <span className="badge warning">{t("kb.review.unhelpful", { yes: a.helpfulYes, no: a.helpfulNo })}</span> : null}
              <span className="muted">
                {" "}
                · {t("kb.owner")}: {a.owner.displayName}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
