import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountTabs } from "~/components/account-tabs.tsx";
import { JourneyTimeline } from "~/components/journey-timeline.tsx";
import { Page } from "~/components/layout.tsx";
import { csvResponse } from "~/modules/metrics/csv.server.ts";
import { JOURNEY_RETENTION_DAYS, ownJourney } from "~/modules/support/journey-queries.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";

export const meta: MetaFunction = () => [{ title: "Your journey | Threadwise" }, { name: "robots", content: "noindex" }];

/** /account/journey: the member's own journey of the last 90 days; ?download=csv gives it as CSV (their data, their right). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const steps = await ownJourney(user.id);
  if (new URL(request.url).searchParams.get("download") === "csv") {
    return csvResponse(
      "threadwise-journey.csv",
      ["at", "journey", "kind", "label", "result_count", "link", "detail", "seconds_until_next_step"],
      steps.map((s) => [s.at, s.run, s.kind, s.label, s.count, s.href, s.detail, s.seconds]),
    );
  }
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
        <a href="/account/journey?download=csv" download>
          {t("support.journey.download")}
        </a>
      </p>
      <JourneyTimeline steps={steps} />
    </Page>
  );
}
