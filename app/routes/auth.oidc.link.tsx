import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors, SubmitButton } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { confirmSsoLink } from "~/modules/sso/confirm-sso-link.server.ts";
import { ssoSettings } from "~/modules/sso/sso-config.server.ts";
import { clearPendingLink, readPendingLink } from "~/modules/sso/sso-cookies.server.ts";
import { startSession } from "~/modules/users/sessions.server.ts";
import { clientIp, readForm } from "~/utils/form.server.ts";
import { forwardRetryAfter } from "~/utils/headers.ts";
import { failureHeaders, redirect, statusOf } from "~/utils/http.server.ts";
import { safeRedirect } from "~/utils/safe-redirect.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "sso.linkTitle") }, { name: "robots", content: "noindex" }];
export const headers = forwardRetryAfter;

/**
 * The pending-link step (ADR 065): the provider's e-mail matched an account here, which links only
 * once its password is given. Without a pending link (expired, never started) there is nothing to do.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await readPendingLink(request);
  if (!pending) throw redirect("/login");
  return json({ email: pending.email, provider: ssoSettings()?.displayName ?? "" }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  // The CSRF and Origin checks come first, as in every action (tests/http/csrf.test.ts walks them all).
  const form = await readForm(request);
  const pending = await readPendingLink(request);
  if (!pending) throw redirect("/login");
  const result = await confirmSsoLink(pending, { password: form.get("password") ?? undefined }, { ip: clientIp(request) });
  if (!result.ok) {
    const message = result.kind === "invalid" ? [...(result.formErrors ?? []), ...Object.values(result.fieldErrors).flat()][0] : result.message;
    return json({ message }, { status: statusOf(result), headers: failureHeaders(result) });
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await clearPendingLink());
  headers.append("Set-Cookie", await startSession(result.value.userId, request));
  return redirect(safeRedirect(result.value.redirectTo), { headers });
}

export default function SsoLinkRoute() {
  const { t } = useTranslation();
  const { email, provider } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  return (
    <Page narrow>
      <div className="card">
        <h1>{t("sso.linkTitle")}</h1>
        <p>{t("sso.linkLead", { email, provider })}</p>
        <Form method="post">
          <CsrfInput />
          <FormErrors id="sso-link-errors" errors={failed?.message ? [failed.message] : null} />
          <div className="field">
            <label htmlFor="sso-link-password">{t("common.password")}</label>
            <input id="sso-link-password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <SubmitButton pending={pending}>{t("sso.linkSubmit", { provider })}</SubmitButton>
        </Form>
        <p className="muted" style={{ marginTop: "1rem" }}>
          <Link to="/login">{t("sso.linkCancel")}</Link>
        </p>
      </div>
    </Page>
  );
}
