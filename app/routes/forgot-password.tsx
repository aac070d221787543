import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors, SubmitButton, TextField } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { requestPasswordReset } from "~/modules/users/password-reset.server.ts";
import { ForgotPasswordSchema } from "~/modules/users/users.schema.ts";
import { replyWithFailure } from "~/utils/conform.server.ts";
import { getEnv } from "~/utils/env.server.ts";
import { clientIp, readForm } from "~/utils/form.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { forwardRetryAfter } from "~/utils/headers.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "forgot.title") }];

export const headers = forwardRetryAfter;

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const env = getEnv();
  // In production the link's host comes from configuration only: a forged Host header must not
  // turn a reset e-mail into a link to someone else's site.
  if (!env.APP_URL && env.NODE_ENV === "production") throw new Response("APP_URL is not configured", { status: 500 });
  const baseUrl = env.APP_URL ?? new URL(request.url).origin;
  const result = await requestPasswordReset(Object.fromEntries(formData), { ip: clientIp(request), baseUrl }, submissionOf(request, formData, null));
  if (!result.ok) return replyWithFailure(formData, ForgotPasswordSchema, result);
  return json({ status: "success" as const, sent: true });
}

export default function ForgotPasswordRoute() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const sent = actionData && "sent" in actionData;
  const [form, fields] = useForm({
    id: "forgot",
    lastResult: sent ? undefined : actionData,
    constraint: getZodConstraint(ForgotPasswordSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }),
  });
  return (
    <Page narrow>
      <div className="card">
        <h1>{t("forgot.title")}</h1>
        {sent ? (
          <p className="notice" role="status">
            {t("forgot.sent")}
          </p>
        ) : (
          <>
            <p className="muted">{t("forgot.lead")}</p>
            <Form method="post" {...getFormProps(form)}>
              <CsrfInput />
              <FormErrors id={form.errorId} errors={form.errors} />
              <TextField meta={fields.email} label={t("common.email")} type="email" autoComplete="email" autoFocus />
              <SubmitButton pending={pending}>{t("forgot.submit")}</SubmitButton>
            </Form>
          </>
        )}
      </div>
    </Page>
  );
}
