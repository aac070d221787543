import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountTabs } from "~/components/account-tabs.tsx";
import { CsrfInput, FormErrors, useMessageText } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { createApiKey, listApiKeys, revokeApiKey } from "~/modules/api/api-keys.server.ts";
import { requireUser, touchSession } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "apiKeys.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ keys: await listApiKeys(user), isAdmin: user.role === "admin" }, { headers: { "Cache-Control": "private, no-store" } });
}

/** Create (personal, or a site key for admins) and revoke. The secret is in this one answer only. */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  await touchSession(user.sessionId);
  const noStore = { headers: { "Cache-Control": "private, no-store" } };
  if (formData.get("intent") === "revoke") {
    const result = await revokeApiKey(user, Object.fromEntries(formData));
    if (!result.ok) return failureResponse(result);
    return json({ ok: true as const, intent: "revoke" as const, token: null, prefix: null }, noStore);
  }
  const kind = formData.get("kind") === "site" ? "site" : "personal";
  const result = await createApiKey(user, Object.fromEntries(formData), kind, submissionOf(request, formData, user.id), user.sessionId);
  if (!result.ok) return failureResponse(result);
  return json({ ok: true as const, intent: "create" as const, token: result.value.token, prefix: result.value.prefix }, noStore);
}

export default function ApiKeysRoute() {
  const { t } = useTranslation();
  const messageText = useMessageText();
  const { keys, isAdmin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData && !actionData.ok ? (actionData.fieldErrors as Record<string, string[] | undefined>) : {};
  const busy = navigation.state === "submitting";
  return (
    <Page>
      <h1>{t("apiKeys.title")}</h1>
      <AccountTabs />
      <p className="muted">
        {t("apiKeys.lead")} <Link to="/api/docs">{t("apiKeys.docs")}</Link>
      </p>
      {actionData && actionData.ok && actionData.intent === "create" ? (
        actionData.token ? (
          <div className="notice" role="status">
            <p>{t("apiKeys.created")}</p>
            <label htmlFor="new-key">{t("apiKeys.secret")}</label>
            <input id="new-key" type="text" readOnly value={actionData.token} className="mono" onFocus={(e) => e.currentTarget.select()} />
          </div>
        ) : (
          <p className="notice" role="status">
            {t("apiKeys.createdBefore", { prefix: actionData.prefix })}
          </p>
        )
      ) : null}
      {actionData && actionData.ok && actionData.intent === "revoke" ? (
        <p className="notice" role="status">
          {t("apiKeys.revoked")}
        </p>
      ) : null}
      {actionData && !actionData.ok ? <FormErrors errors={[actionData.message, ...(actionData.formErrors ?? [])].filter((m): m is string => !!m)} /> : null}

      <Form method="post" className="card settings-form">
        <CsrfInput />
        <h2>{t("apiKeys.new")}</h2>
        <label htmlFor="key-name">{t("apiKeys.name")}</label>
        <input id="key-name" name="name" required maxLength={80} aria-describedby={errors.name ? "key-name-error" : undefined} aria-invalid={errors.name ? true : undefined} />
        {errors.name ? (
          <p id="key-name-error" className="field-errors" role="alert">
            {messageText(errors.name)}
          </p>
        ) : null}
        <fieldset>
          <legend>{t("apiKeys.scope")}</legend>
          <label>
            <input type="radio" name="scope" value="read" defaultChecked /> {t("apiKeys.scopes.read")}
          </label>
          <label>
            <input type="radio" name="scope" value="write" /> {t("apiKeys.scopes.write")}
          </label>
        </fieldset>
        <label htmlFor="key-expiry">{t("apiKeys.expiresInDays")}</label>
        <input id="key-expiry" name="expiresInDays" type="number" min={1} max={3650} inputMode="numeric" aria-describedby="key-expiry-hint" />
        <p id="key-expiry-hint" className="hint muted">
          {t("apiKeys.expiryHint")}
        </p>
        {errors.expiresInDays ? <p className="field-errors" role="alert">{messageText(errors.expiresInDays)}</p> : null}
        {isAdmin ? (
          <>
            <label htmlFor="key-kind">{t("apiKeys.kind")}</label>
            <select id="key-kind" name="kind" defaultValue="personal">
              <option value="personal">{t("apiKeys.kinds.personal")}</option>
              <option value="site">{t("apiKeys.kinds.site")}</option>
            </select>
            <label htmlFor="key-act-as">{t("apiKeys.actAs")}</label>
            <input id="key-act-as" name="actAs" maxLength={40} />
            {errors.actAs ? <p className="field-errors" role="alert">{messageText(errors.actAs)}</p> : null}
          </>
        ) : null}
        <button type="submit" className="button" disabled={busy}>
          {t("apiKeys.create")}
        </button>
      </Form>

      <h2>{t("apiKeys.yours")}</h2>
      {keys.length === 0 ? (
        <p className="muted">{t("apiKeys.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("apiKeys.yours")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("apiKeys.name")}</th>
                <th scope="col">{t("apiKeys.scope")}</th>
                <th scope="col">{t("apiKeys.actsAs")}</th>
                <th scope="col">{t("apiKeys.lastUsed")}</th>
                <th scope="col">{t("apiKeys.state")}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <td>
                    {key.name} <code>{key.prefix}…</code>
                  </td>
                  <td>{t(`apiKeys.scopes.${key.scope}`)}</td>
                  <td>@{key.actsAs}</td>
                  <td>{key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : t("apiKeys.never")}</td>
                  <td>
                    {key.revokedAt ? (
                      t("apiKeys.revokedState")
                    ) : key.expiresAt && new Date(key.expiresAt) < new Date() ? (
                      t("apiKeys.expired")
                    ) : (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="keyId" value={key.id} />
                        <button type="submit" className="button secondary" disabled={busy}>
                          {t("apiKeys.revoke")}
                        </button>
                      </Form>
                    )}
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
