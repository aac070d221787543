import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors, useMessageText } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { EVENTS, EVENT_TYPES } from "~/modules/events/event-catalogue.ts";
import { requireUser, touchSession } from "~/modules/users/sessions.server.ts";
import { deleteWebhook, setWebhookEnabled } from "~/modules/webhooks/manage-webhook.server.ts";
import { registerWebhook } from "~/modules/webhooks/register-webhook.server.ts";
import { listWebhookEndpoints } from "~/modules/webhooks/webhook-queries.server.ts";
import { canManageWebhooks } from "~/modules/webhooks/webhooks.policy.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, { text: `${metaT(matches)("webhooks.title")} | ${metaT(matches)("nav.admin")}` }) }];

const noStore = { headers: { "Cache-Control": "private, no-store" } };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  invariantResponse(canManageWebhooks(user), "messages.webhooks.forbidden", 403);
  return json({ endpoints: await listWebhookEndpoints(), events: EVENT_TYPES.map((type) => ({ type, summary: EVENTS[type].summary })) }, noStore);
}

/** Register (the secret is in this one answer only), enable, disable, delete: each a use case that checks the admin again. */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  await touchSession(user.sessionId);
  const intent = formData.get("intent");
  const input = Object.fromEntries(formData);
  if (intent === "create") {
    const result = await registerWebhook(user, { ...input, events: formData.getAll("events") }, {}, submissionOf(request, formData, user.id), user.sessionId);
    if (!result.ok) return failureResponse(result);
    return json({ ok: true as const, intent, secret: result.value.secret }, noStore);
  }
  const result = intent === "delete" ? await deleteWebhook(user, input, submissionOf(request, formData, user.id)) : await setWebhookEnabled(user, input, intent === "enable");
  if (!result.ok) return failureResponse(result);
  return json({ ok: true as const, intent: intent === "delete" ? "delete" : intent === "enable" ? "enable" : "disable", secret: null }, noStore);
}

export default function AdminWebhooksRoute() {
  const { t } = useTranslation();
  const messageText = useMessageText();
  const { endpoints, events } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = actionData && !actionData.ok ? (actionData.fieldErrors as Record<string, string[] | undefined>) : {};
  return (
    <Page>
      <h1>{t("webhooks.title")}</h1>
      <p className="muted">{t("webhooks.lead")}</p>
      {actionData?.ok && actionData.secret ? (
        <div className="notice" role="status">
          <p>{t("webhooks.created")}</p>
          <label htmlFor="new-secret">{t("webhooks.secret")}</label>
          <input id="new-secret" type="text" readOnly value={actionData.secret} className="mono" onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : actionData?.ok ? (
        <p className="notice" role="status">
          {t(`webhooks.done.${actionData.intent}`)}
        </p>
      ) : null}
      {actionData && !actionData.ok ? <FormErrors errors={actionData.formErrors} /> : null}

      <section className="card" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">{t("webhooks.endpoints")}</h2>
        {endpoints.length === 0 ? (
          <p className="muted">{t("webhooks.none")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("webhooks.url")}</th>
                  <th scope="col">{t("webhooks.events")}</th>
                  <th scope="col">{t("webhooks.state")}</th>
                  <th scope="col">{t("webhooks.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((e) => (
                  <tr key={e.id} data-testid={`webhook-${e.id}`}>
                    <td>
                      <Link to={`/admin/webhooks/${e.id}`} className="mono">
                        {e.url}
                      </Link>
                      {e.description ? <div className="muted">{e.description}</div> : null}
                    </td>
                    <td>{e.events.length === events.length ? t("webhooks.allEvents") : e.events.join(", ")}</td>
                    <td>
                      {e.disabledAt ? (
                        <>
                          <span className="badge suspended">{t("webhooks.disabled")}</span>
                          <div className="muted">{e.disabledReason}</div>
                        </>
                      ) : e.failingSince ? (
                        <span className="badge">{t("webhooks.failingSince", { time: new Date(e.failingSince).toLocaleString() })}</span>
                      ) : (
                        <span className="badge">{t("webhooks.enabled")}</span>
                      )}
                    </td>
                    <td>
                      <Form method="post" className="inline-form">
                        <CsrfInput />
                        <input type="hidden" name="endpointId" value={e.id} />
                        <button type="submit" name="intent" value={e.disabledAt ? "enable" : "disable"} className="button secondary small" disabled={busy}>
                          {e.disabledAt ? t("webhooks.enable") : t("webhooks.disable")}
                        </button>{" "}
                        <button type="submit" name="intent" value="delete" className="button secondary small" disabled={busy}>
                          {t("webhooks.delete")}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <Form method="post" className="card settings-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        <h2>{t("webhooks.new")}</h2>
        <label htmlFor="webhook-url">{t("webhooks.url")}</label>
        <input id="webhook-url" name="url" type="url" required maxLength={2000} aria-invalid={errors.url ? true : undefined} aria-describedby={errors.url ? "webhook-url-error" : undefined} />
        {errors.url ? (
          <p id="webhook-url-error" className="field-errors" role="alert">
            {messageText(errors.url)}
          </p>
        ) : null}
        <label htmlFor="webhook-description">{t("webhooks.description")}</label>
        <input id="webhook-description" name="description" maxLength={200} />
        <label htmlFor="webhook-secret">{t("webhooks.secret")}</label>
        <input id="webhook-secret" name="secret" maxLength={200} autoComplete="off" aria-describedby="webhook-secret-hint" />
        <p id="webhook-secret-hint" className="hint muted">
          {t("webhooks.secretHint")}
        </p>
        {errors.secret ? <p className="field-errors" role="alert">{messageText(errors.secret)}</p> : null}
        <fieldset>
          <legend>{t("webhooks.events")}</legend>
          {errors.events ? <p className="field-errors" role="alert">{messageText(errors.events)}</p> : null}
          {events.map((e) => (
            <label key={e.type} title={e.summary}>
              <input type="checkbox" name="events" value={e.type} /> <code>{e.type}</code>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" disabled={busy}>
          {t("webhooks.register")}
        </button>
      </Form>
    </Page>
  );
}
