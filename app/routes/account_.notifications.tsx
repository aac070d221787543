import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountTabs } from "~/components/account-tabs.tsx";
import { CsrfInput, FormErrors, useMessageText } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { DELIVERIES, SETTING_GROUPS } from "~/modules/notifications/notification-kinds.ts";
import { getNotificationSettings, getBouncedAddress, updateNotificationSettings } from "~/modules/notifications/notification-settings.server.ts";
import { requireUser, touchSession } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse } from "~/utils/http.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "notifications.settings.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [settings, bounced] = await Promise.all([getNotificationSettings(user.id), getBouncedAddress(user.id)]);
  return json({ settings, bounced }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  await touchSession(user.sessionId);
  const result = await updateNotificationSettings(user, Object.fromEntries(formData));
  if (!result.ok) return failureResponse(result);
  return json({ ok: true as const, settings: result.value });
}

export default function NotificationSettingsRoute() {
  const { t } = useTranslation();
  const messageText = useMessageText();
  const { settings, bounced } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData && !actionData.ok ? (actionData.fieldErrors as Record<string, string[] | undefined>) : {};
  const shown = actionData && actionData.ok ? actionData.settings : settings;
  return (
    <Page>
      <h1>{t("notifications.settings.title")}</h1>
      <AccountTabs />
      <p className="muted">{t("notifications.settings.lead")}</p>
      {bounced ? (
        <p className="form-errors" role="status">
          {t("notifications.settings.bounced", { email: bounced })}
        </p>
      ) : null}
      {actionData && actionData.ok ? (
        <p className="notice" role="status">
          {t("notifications.settings.saved")}
        </p>
      ) : null}
      {actionData && !actionData.ok ? <FormErrors errors={actionData.formErrors} /> : null}
      <Form method="post" className="card settings-form">
        <CsrfInput />
        {SETTING_GROUPS.map((group) => (
          <fieldset key={group} className="delivery-choice" aria-describedby={`${group}-hint${errors[group] ? ` ${group}-error` : ""}`}>
            <legend>{t(`notifications.groups.${group}.label`)}</legend>
            <p id={`${group}-hint`} className="hint muted">
              {t(`notifications.groups.${group}.hint`)}
            </p>
            <div className="delivery-options">
              {DELIVERIES.map((delivery) => (
                <label key={delivery} className="delivery-option">
                  <input type="radio" name={group} value={delivery} defaultChecked={shown[group] === delivery} required />
                  {t(`notifications.delivery.${delivery}`)}
                </label>
              ))}
            </div>
            {errors[group] ? (
              <p id={`${group}-error`} className="field-errors" role="alert">
                {messageText(errors[group])}
              </p>
            ) : null}
          </fieldset>
        ))}
        <button type="submit" className="button" disabled={navigation.state === "submitting"}>
          {t("notifications.settings.save")}
        </button>
      </Form>
    </Page>
  );
}
