import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountTabs } from "~/components/account-tabs.tsx";
import { Page } from "~/components/layout.tsx";
import { WatchButton } from "~/components/watch-button.tsx";
import { listWatching } from "~/modules/notifications/watch-queries.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "notifications.watch.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ items: await listWatching(user.id) }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function WatchingRoute() {
  const { t } = useTranslation();
  const { items } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("notifications.watch.title")}</h1>
      <AccountTabs />
      <p className="muted">{t("notifications.watch.lead")}</p>
      {items.length === 0 ? (
        <p className="card">{t("notifications.watch.empty")}</p>
      ) : (
        <ul className="watch-list">
          {items.map((item) => (
            <li key={`${item.targetType}:${item.targetId}`} className="watch-item" data-testid="watched">
              <div className="watch-main">
                <span className="badge">{t(`notifications.watch.type.${item.targetType}`)}</span> <Link to={item.path}>{item.label}</Link>
                <div className="muted watch-reason">{t(`notifications.watch.reason.${item.reason}`)}</div>
              </div>
              <WatchButton targetType={item.targetType} targetId={item.targetId} name={item.label} watching showState={false} />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
