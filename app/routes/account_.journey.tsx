import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountTabs } from "~/components/account-tabs.tsx";
import { JourneyTimeline } from "~/components/journey-timeline.tsx";
import { Page } from "~/components/layout.tsx";
import { JOURNEY_RETENTION_DAYS, ownJourney } from "~/modules/support/journey-queries.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { redirect } from "~/utils/http.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "support.journey.title") }, { name: "robots", content: "noindex" }];

/** /account/journey: the member's own journey of the last 90 days; the CSV is /account/journey.csv (?download=csv goes there). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (new URL(request.url).searchParams.get("download") === "csv") throw redirect("/account/journey.csv");
  const steps = await ownJourney(user.id);
  return json({ steps, days: JOURNEY_RETENTION_DAYS }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function JourneyRoute() {
  const { t } = useTranslation();
  const { steps, days } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("support.journey.title")}</h1>
      <AccountTabs />
      <p className="muted">{t("support.journey.lead", { days })}</p>
      <p>
        <a href="/account/journey.csv" download>
          {t("support.journey.download")}
        </a>
      </p>
      <JourneyTimeline steps={steps} />
    </Page>
  );
}
