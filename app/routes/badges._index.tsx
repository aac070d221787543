import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BadgeName } from "~/components/badge-name.tsx";
import { Page } from "~/components/layout.tsx";
import { listBadges } from "~/modules/reputation/reputation-queries.server.ts";
import { BADGES } from "~/modules/reputation/badges.ts";
import { BADGE_THRESHOLDS } from "~/modules/reputation/thresholds.ts";
import { seoMeta } from "~/modules/seo/seo-meta.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) =>
  seoMeta({ matches, title: metaT(matches)("reputation.badgesTitle"), documentTitle: pageTitle(matches, "reputation.badgesTitle"), description: "The badges members earn for asking, answering and helping others.", path: "/badges" });

export async function loader() {
  return json({ badges: await listBadges() });
}

/** The count a badge's rule mentions, from the one thresholds table. */
export function ruleValues(badge: string) {
  const b = BADGES[badge as keyof typeof BADGES] as { accepted?: number } | undefined;
  if (badge === "helpful") return { count: BADGE_THRESHOLDS.helpfulScore };
  if (badge === "category_expert") return { count: BADGE_THRESHOLDS.expertAccepted, average: BADGE_THRESHOLDS.expertAverageScore };
  return { count: b?.accepted ?? 1 };
}

export default function BadgesRoute() {
  const { t } = useTranslation();
  const { badges } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("reputation.badgesTitle")}</h1>
      <p className="muted">{t("reputation.badgesIntro")}</p>
      <ul className="badge-table card">
        {badges.map((b) => (
          <li key={b.key}>
            <BadgeName badge={b.key} level={b.level} />
            <span>{t(`reputation.badge.${b.key}.rule`, ruleValues(b.key))}</span>
            <span className="muted">{t("reputation.holders", { count: b.holders })}</span>
          </li>
        ))}
      </ul>
    </Page>
  );
}
