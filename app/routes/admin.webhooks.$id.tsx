import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { requireUser, touchSession } from "~/modules/users/sessions.server.ts";
import { redeliverWebhook } from "~/modules/webhooks/manage-webhook.server.ts";
import { getWebhookLog } from "~/modules/webhooks/webhook-queries.server.ts";
import { canManageWebhooks } from "~/modules/webhooks/webhooks.policy.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, { text: `${metaT(matches)("webhooks.logTitle")} | ${metaT(matches)("nav.admin")}` }) }];

/** The delivery log of one endpoint (status, response code, duration, attempts), newest first. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  invariantResponse(canManageWebhooks(user), "messages.webhooks.forbidden", 403);
  invariantResponse(/^\d{1,18}$/.test(params.id ?? ""), "messages.webhooks.noEndpoint", 404);
  const before = new URL(request.url).searchParams.get("before");
  invariantResponse(before === null || /^\d{1,18}$/.test(before), "messages.audit.cursor", 400);
  const log = await getWebhookLog(BigInt(params.id!), before ? BigInt(before) : undefined);
  invariantResponse(log, "messages.webhooks.noEndpoint", 404);
  return json(log, { headers: { "Cache-Control": "private, no-store" } });
}

/** "Redeliver": one more attempt of a logged delivery, audited. */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  await touchSession(user.sessionId);
  const result = await redeliverWebhook(user, Object.fromEntries(formData), submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result);
  return json({ ok: true as const, deliveryId: result.value.deliveryId });
}

export default function AdminWebhookLogRoute() {
  const { t } = useTranslation();
  const { endpoint, deliveries, nextBefore } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <Page>
      <p>
        <Link to="/admin/webhooks">{t("webhooks.back")}</Link>
      </p>
      <h1>{t("webhooks.logTitle")}</h1>
      <p className="mono">{endpoint.url}</p>
      {endpoint.disabledAt ? (
        <p className="notice" role="status">
          {t("webhooks.disabled")}: {endpoint.disabledReason}
        </p>
      ) : null}
      {actionData?.ok ? (
        <p className="notice" role="status">
          {t("webhooks.done.redeliver")}
        </p>
      ) : null}
      {actionData && !actionData.ok ? <FormErrors errors={actionData.formErrors} /> : null}
      <section className="card" aria-label={t("webhooks.logTitle")}>
        {deliveries.length === 0 ? (
          <p className="muted">{t("webhooks.noDeliveries")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("webhooks.event")}</th>
                  <th scope="col">{t("webhooks.status")}</th>
                  <th scope="col">{t("webhooks.responseCode")}</th>
                  <th scope="col">{t("webhooks.duration")}</th>
                  <th scope="col">{t("webhooks.attempts")}</th>
                  <th scope="col">{t("webhooks.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} data-testid={`delivery-${d.id}`}>
                    <td>
                      <code>{d.eventType}</code> #{d.eventId}
                      <div className="muted">{new Date(d.createdAt).toLocaleString()}</div>
                    </td>
                    <td>
                      {t(`webhooks.statuses.${d.status}`)}
                      {d.error ? <div className="muted">{d.error}</div> : null}
                      {d.nextAttemptAt && d.status === "retrying" ? <div className="muted">{t("webhooks.nextAttempt", { time: new Date(d.nextAttemptAt).toLocaleString() })}</div> : null}
                    </td>
                    <td>{d.responseCode ?? "—"}</td>
                    <td>{d.durationMs === null ? "—" : `${d.durationMs} ms`}</td>
                    <td>{d.attempts}</td>
                    <td>
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="deliveryId" value={d.id} />
                        <button type="submit" className="button secondary small" disabled={busy || !!endpoint.disabledAt}>
                          {t("webhooks.redeliver")}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextBefore ? (
          <p>
            <Link to={`?before=${nextBefore}`}>{t("common.next")}</Link>
          </p>
        ) : null}
      </section>
    </Page>
  );
}
