import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Page } from "~/components/layout.tsx";
import { NextPageLink } from "~/components/thread-list.tsx";
import { UserName } from "~/components/user-name.tsx";
import { BADGES, isBadgeKey } from "~/modules/reputation/badges.ts";
import { getBadgeHolders } from "~/modules/reputation/reputation-queries.server.ts";
import { invariantResponse } from "~/utils/http.server.ts";
import { ruleValues } from "./badges._index.tsx";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { canonicalPath } from "~/modules/seo/seo-urls.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";
import { useFormat } from "~/utils/intl.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches, location }) =>
  data
    ? seoMeta({
        matches,
        title: metaT(matches)(`reputation.badge.${data.badge}.name`),
        documentTitle: pageTitle(matches, "reputation.holdersTitle", { badge: metaT(matches)(`reputation.badge.${data.badge}.name`) }),
        description: `Members who earned the ${data.badge} badge.`,
        path: canonicalPath(location.pathname, location.search, ["after"]),
      })
    : [{ title: pageTitle(matches, "errors.notFoundTitle") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const badge = params.badge ?? "";
  invariantResponse(isBadgeKey(badge), "messages.common.noSuchBadge", 404);
  const after = new URL(request.url).searchParams.get("after");
  const page = await getBadgeHolders(badge, after && /^[1-9]\d{0,17}$/.test(after) ? BigInt(after) : undefined);
  return json({ badge, level: BADGES[badge].level, ...page });
}

export default function BadgeHoldersRoute() {
  const { t } = useTranslation();
  const format = useFormat();
  const { badge, level, holders, nextCursor } = useLoaderData<typeof loader>();
  const name = t(`reputation.badge.${badge}.name`);
  return (
    <Page>
      <p>
        <Link to="/badges">{t("reputation.allBadges")}</Link>
      </p>
      <h1>{t("reputation.holdersTitle", { badge: name })}</h1>
      <p className="muted">
        {t(`reputation.level.${level}`)} · {t(`reputation.badge.${badge}.rule`, ruleValues(badge))}
      </p>
      {holders.length === 0 ? (
        <p className="card">{t("reputation.noHolders")}</p>
      ) : (
        <ul className="card holder-list">
          {holders.map((h) => (
            <li key={h.id}>
              <UserName user={h.user} />
              {h.category ? <span> {t("reputation.inCategory", { category: h.category.name })}</span> : null}
              {h.answerLink ? (
                <>
                  {" "}
                  <Link to={h.answerLink}>{t("reputation.forAnswer")}</Link>
                </>
              ) : null}{" "}
              <span className="muted">{t("reputation.grantedOn", { date: format.date(h.grantedAt) })}</span>
            </li>
          ))}
        </ul>
      )}
      <NextPageLink to={nextCursor ? `?after=${nextCursor}` : null} />
    </Page>
  );
}
