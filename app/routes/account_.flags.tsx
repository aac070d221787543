import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountTabs } from "~/components/account-tabs.tsx";
import { Page } from "~/components/layout.tsx";
import { listMyFlags } from "~/modules/flags/review-queries.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { useFormat } from "~/utils/intl.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "flags.myTitle") }];

/** A member's own flags and what came of them (issue 19). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ flags: await listMyFlags(user.id), now: Date.now() }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function MyFlagsRoute() {
  const { t } = useTranslation();
  const { timeAgo } = useFormat();
  const { flags, now } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>{t("flags.myTitle")}</h1>
      <AccountTabs />
      <p className="muted">{t("flags.myIntro")}</p>
      {flags.length === 0 ? (
        <p className="card">{t("flags.myNone")}</p>
      ) : (
        <div className="table-wrap card">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("questions.title")}</th>
                <th scope="col">{t("flags.reasonLegend")}</th>
                <th scope="col">{t("common.status")}</th>
              </tr>
            </thead>
            <tbody>
              {flags.map((f) => (
                <tr key={f.id} data-testid="my-flag">
                  <td>
                    {f.threadTitle && f.threadSlug ? <Link to={postPath(`/questions/${f.threadId}/${f.threadSlug}`, f.postId)}>{f.threadTitle}</Link> : t("flags.removedThread")}
                    <div className="muted">{timeAgo(f.createdAt, now)}</div>
                  </td>
                  <td>{t(`flags.reasons.${f.reason}`)}</td>
                  <td>
                    {t(`flags.statuses.${f.status}`)}
                    <div className="muted">{f.visible ? t("flags.postVisible") : t("flags.postRemoved")}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
