import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors, SubmitButton, TextField } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { isResetTokenUsable, resetPassword } from "~/modules/users/password-reset.server.ts";
import { ResetPasswordSchema } from "~/modules/users/users.schema.ts";
import { replyWithFailure } from "~/utils/conform.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { redirect } from "~/utils/http.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "reset.title") }, { name: "referrer", content: "no-referrer" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const usable = token.length >= 20 && token.length <= 200 && (await isResetTokenUsable(token));
  return json({ token: usable ? token : "", usable });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const result = await resetPassword(Object.fromEntries(formData), submissionOf(request, formData, null));
  if (!result.ok) return replyWithFailure(formData, ResetPasswordSchema, result, { hideFields: ["password", "confirm"] });
  return redirect("/login?reset=1");
}

export default function ResetPasswordRoute() {
  const { t } = useTranslation();
  const { token, usable } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: "reset",
    lastResult,
    defaultValue: { token },
    constraint: getZodConstraint(ResetPasswordSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetPasswordSchema }),
  });
  return (
    <Page narrow>
      <div className="card">
        <h1>{t("reset.title")}</h1>
        {usable ? (
          <Form method="post" {...getFormProps(form)}>
            <CsrfInput />
            <input {...getInputProps(fields.token, { type: "hidden" })} key={fields.token.key} />
            <FormErrors id={form.errorId} errors={form.errors} />
            <TextField meta={fields.password} label={t("reset.newPassword")} type="password" hint={t("signup.passwordHint")} autoComplete="new-password" autoFocus />
            <TextField meta={fields.confirm} label={t("reset.confirm")} type="password" autoComplete="new-password" />
            <SubmitButton pending={pending}>{t("reset.submit")}</SubmitButton>
          </Form>
        ) : (
          <>
            <p className="form-errors" role="alert">
              {t("reset.invalid")}
            </p>
            <Link to="/forgot-password" className="button">
              {t("reset.askAgain")}
            </Link>
          </>
        )}
      </div>
    </Page>
  );
}
