import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors, SubmitButton, TextField } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { requestLanguage } from "~/modules/users/preferred-language.server.ts";
import { requireAnonymous, startSession } from "~/modules/users/sessions.server.ts";
import { signUp } from "~/modules/users/sign-up.server.ts";
import { HONEYPOT_FIELD, SignupSchema } from "~/modules/users/users.schema.ts";
import { replyWithFailure } from "~/utils/conform.server.ts";
import { clientIp, readForm } from "~/utils/form.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { forwardRetryAfter } from "~/utils/headers.ts";
import { toLanguage } from "~/utils/i18n.ts";
import { redirect } from "~/utils/http.server.ts";
import { pageTitle } from "~/utils/meta.ts";
import { safeRedirect } from "~/utils/safe-redirect.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.signup") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return json({ redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "") });
}

export const headers = forwardRetryAfter;

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  // Visitors' submissions are told apart by their browser's CSRF secret (ADR 030).
  const language = toLanguage(await requestLanguage(request));
  const result = await signUp(Object.fromEntries(formData), { ip: clientIp(request), language }, submissionOf(request, formData, null));
  if (!result.ok) return replyWithFailure(formData, SignupSchema, result, { hideFields: ["password"] });
  const cookie = await startSession(result.value.userId, request);
  // Back to the page the visitor came from (checked by safeRedirect, ADR 028), else the welcome page.
  return redirect(safeRedirect(formData.get("redirectTo")?.toString(), "/account?welcome=1"), { headers: { "Set-Cookie": cookie } });
}

export default function SignupRoute() {
  const { t } = useTranslation();
  const { redirectTo } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "signup",
    lastResult,
    constraint: getZodConstraint(SignupSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignupSchema }),
  });
  return (
    <Page narrow>
      <div className="card">
        <h1>{t("signup.title")}</h1>
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField meta={fields.email} label={t("common.email")} type="email" autoComplete="email" autoFocus />
          <TextField meta={fields.handle} label={t("signup.handle")} hint={t("signup.handleHint")} autoComplete="username" />
          <TextField meta={fields.displayName} label={t("signup.displayName")} autoComplete="name" />
          <TextField meta={fields.password} label={t("common.password")} type="password" hint={t("signup.passwordHint")} autoComplete="new-password" />
          {/* The honeypot (issue 19): hidden from people and assistive technology; only bots fill it. */}
          <div aria-hidden="true" className="honeypot">
            <label htmlFor="signup-website">{t("flags.honeypotLabel")}</label>
            <input id="signup-website" type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
          </div>
          <SubmitButton pending={pending}>{t("signup.submit")}</SubmitButton>
        </Form>
        <p className="muted" style={{ marginTop: "1rem" }}>
          {t("signup.haveAccount")} <Link to={redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login"}>{t("login.submit")}</Link>
        </p>
      </div>
    </Page>
  );
}
