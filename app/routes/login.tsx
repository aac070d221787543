import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors, SubmitButton, TextField } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { ssoSettings } from "~/modules/sso/sso-config.server.ts";
import { requireAnonymous, startSession } from "~/modules/users/sessions.server.ts";
import { authenticator } from "~/modules/users/sign-in.server.ts";
import { LoginSchema } from "~/modules/users/users.schema.ts";
import { replyWithFailure } from "~/utils/conform.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { safeRedirect } from "~/utils/safe-redirect.ts";
import { forwardRetryAfter } from "~/utils/headers.ts";
import { redirect } from "~/utils/http.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "login.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const url = new URL(request.url);
  // Single sign-on (ADR 065): the provider's name when one is configured, for "Sign in with <provider>".
  const sso = ssoSettings()?.displayName ?? null;
  return json({ redirectTo: safeRedirect(url.searchParams.get("redirectTo"), ""), reset: url.searchParams.get("reset") === "1", sso });
}

export const headers = forwardRetryAfter;

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request.clone());
  const result = await authenticator.authenticate("form", request);
  if (!result.ok) return replyWithFailure(formData, LoginSchema, result, { hideFields: ["password"] });
  const cookie = await startSession(result.value.userId, request);
  return redirect(safeRedirect(formData.get("redirectTo")?.toString()), { headers: { "Set-Cookie": cookie } });
}

export default function LoginRoute() {
  const { t } = useTranslation();
  const { redirectTo, reset, sso } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "login",
    lastResult,
    constraint: getZodConstraint(LoginSchema),
    defaultValue: { redirectTo },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  });
  return (
    <Page narrow>
      <div className="card">
        <h1>{t("login.title")}</h1>
        {reset ? (
          <p className="notice" role="status">
            {t("reset.done")}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <input {...getInputProps(fields.redirectTo, { type: "hidden" })} key={fields.redirectTo.key} />
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField meta={fields.email} label={t("common.email")} type="email" autoComplete="email" autoFocus />
          <TextField meta={fields.password} label={t("common.password")} type="password" autoComplete="current-password" />
          <SubmitButton pending={pending}>{t("login.submit")}</SubmitButton>
        </Form>
        {sso ? (
          <p style={{ marginTop: "1rem" }}>
            {/* A document load: the start route redirects to the provider's own site. */}
            <Link reloadDocument className="button secondary" to={`/auth/oidc/start${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ""}`}>
              {t("sso.signInWith", { provider: sso })}
            </Link>
          </p>
        ) : null}
        <p style={{ marginTop: "1rem" }}>
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </p>
        <p className="muted">
          {t("login.noAccount")} <Link to={redirectTo ? `/signup?redirectTo=${encodeURIComponent(redirectTo)}` : "/signup"}>{t("nav.signup")}</Link>
        </p>
      </div>
    </Page>
  );
}
