import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { getSiteSettings, updateSiteSettings } from "~/modules/settings/site-settings.server.ts";
import { getCurrentUser, requireUser, touchSession } from "~/modules/users/sessions.server.ts";
import { canAdministerUsers } from "~/modules/users/users.policy.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse } from "~/utils/http.server.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, { text: `${metaT(matches)("flags.settingsTitle")} | ${metaT(matches)("nav.admin")}` }) }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  invariantResponse(canAdministerUsers(user), "messages.settings.forbidden", 403);
  return json({ settings: await getSiteSettings() });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await getCurrentUser(request);
  // Thrown, not returned: the page's loader would otherwise run next and send a visitor to sign in.
  invariantResponse(user && canAdministerUsers(user), "messages.settings.forbidden", 403);
  const result = await updateSiteSettings(user, Object.fromEntries(formData));
  if (!result.ok) return failureResponse(result);
  await touchSession(user.sessionId);
  return json({ ok: true as const });
}

export default function AdminSettingsRoute() {
  const { t } = useTranslation();
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  return (
    <Page narrow>
      <h1>{t("flags.settingsTitle")}</h1>
      {actionData?.ok ? (
        <p className="notice" role="status">
          {t("flags.settingsSaved")}
        </p>
      ) : null}
      {actionData && !actionData.ok ? <FormErrors errors={actionData.formErrors} /> : null}
      <Form method="post" className="card stack">
        <CsrfInput />
        <label className="radio">
          <input type="checkbox" name="approveFirstPosts" defaultChecked={settings.approveFirstPosts} aria-describedby="approve-hint" /> {t("flags.approveFirstPosts")}
        </label>
        <p id="approve-hint" className="muted">
          {t("flags.approveFirstPostsHint")}
        </p>
        <button type="submit" className="button" disabled={pending}>
          {t("flags.settingsSave")}
        </button>
      </Form>
    </Page>
  );
}
