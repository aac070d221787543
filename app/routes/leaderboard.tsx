import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { UserName } from "~/components/user-name.tsx";
import { getLeaderboard } from "~/modules/reputation/reputation-queries.server.ts";
import { LEADERBOARD_KINDS, LEADERBOARD_PERIODS, LeaderboardQuery } from "~/modules/reputation/reputation.schema.ts";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { canonicalPath } from "~/modules/seo/seo-urls.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches, location }) =>
  seoMeta({ matches, title: metaT(matches)("reputation.leaderboardTitle"), documentTitle: pageTitle(matches, "reputation.leaderboardTitle"), description: "The members who helped most, by reputation earned.", path: canonicalPath(location.pathname, location.search, ["period", "by", "category"]) });

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = LeaderboardQuery.parse(Object.fromEntries(url.searchParams));
  const board = await getLeaderboard(query);
  return json({ ...board, query }, { headers: { "Cache-Control": "private, max-age=30" } });
}

export default function LeaderboardRoute() {
  const { t } = useTranslation();
  const { rows, categories, category, query } = useLoaderData<typeof loader>();
  const caption = t("reputation.caption", {
    by: t(`reputation.by.${query.by}`),
    period: t(`reputation.period.${query.period}`),
    category: category?.name ?? t("reputation.allCategories"),
  });
  return (
    <Page>
      <h1>{t("reputation.leaderboardTitle")}</h1>
      <p className="muted">{t("reputation.leaderboardIntro")}</p>
      <Form method="get" className="card leaderboard-filters" aria-label={t("reputation.leaderboardTitle")}>
        <label>
          {t("reputation.period.label")}
          <select name="period" defaultValue={query.period}>
            {LEADERBOARD_PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`reputation.period.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("reputation.by.label")}
          <select name="by" defaultValue={query.by}>
            {LEADERBOARD_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`reputation.by.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("reputation.category")}
          <select name="category" defaultValue={category?.slug ?? ""}>
            <option value="">{t("reputation.allCategories")}</option>
            {categories.map((c) => (
              <option key={c.slug} value={c.slug} translate="no">
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          {t("reputation.show")}
        </button>
      </Form>
      {rows.length === 0 ? (
        <p className="card">{t("reputation.noLeaders")}</p>
      ) : (
        <div className="card table-scroll">
          <table className="leaderboard">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t("reputation.rank")}</th>
                <th scope="col">{t("reputation.member")}</th>
                <th scope="col">{t("reputation.points")}</th>
                <th scope="col">{t("reputation.accepted")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.handle}>
                  <td>{r.rank}</td>
                  <td>
                    <UserName user={r} />
                  </td>
                  <td className={query.by === "reputation" ? "strong" : undefined}>{r.points}</td>
                  <td className={query.by === "accepted" ? "strong" : undefined}>{r.accepted}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
