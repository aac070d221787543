import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, ErrorList, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { createTicket } from "~/modules/support/create-ticket.server.ts";
import { HELP_MESSAGE_MAX } from "~/modules/support/support.schema.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, redirect } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { readVisitorId } from "~/utils/visitor.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "support.new.title") }, { name: "robots", content: "noindex" }];

const SOURCES = ["thread", "article", "search", "ask"] as const;

/** GET /support/new?source=thread&threadId=… : the short "Still need help?" form (signed in: the journey is theirs). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const url = new URL(request.url);
  const source = SOURCES.find((s) => s === url.searchParams.get("source")) ?? "ask";
  const digits = (v: string | null) => (v && /^\d{1,18}$/.test(v) ? v : "");
  return json({ source, threadId: digits(url.searchParams.get("threadId")), articleId: digits(url.searchParams.get("articleId")) }, { headers: { "Cache-Control": "private, no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const input = Object.fromEntries(formData);
  const result = await createTicket(user, await readVisitorId(request), input, submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result);
  return redirect(`/support/tickets/${result.value.ticketId}?created=1`);
}

export default function StillNeedHelpRoute() {
  const { t } = useTranslation();
  const { source, threadId, articleId } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const fieldErrors = (failed?.fieldErrors ?? {}) as Record<string, string[]>;
  const tr = (errors?: string[]) => errors?.map((e) => t(e, { defaultValue: e }));
  return (
    <Page narrow>
      <div className="card">
        <h1>{t("support.new.title")}</h1>
        <p className="muted">{t("support.new.lead")}</p>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="source" value={source} />
          {threadId ? <input type="hidden" name="threadId" value={threadId} /> : null}
          {articleId ? <input type="hidden" name="articleId" value={articleId} /> : null}
          <FormErrors errors={tr([...(failed?.formErrors ?? []), ...(fieldErrors.source ?? []), ...(fieldErrors.threadId ?? []), ...(fieldErrors.articleId ?? [])])} />
          <div className="field">
            <label htmlFor="help-message">{t("support.new.messageLabel")}</label>
            <span id="help-message-hint" className="hint">
              {t("support.new.messageHint")}
            </span>
            <textarea id="help-message" name="message" rows={4} maxLength={HELP_MESSAGE_MAX} aria-describedby={fieldErrors.message ? "help-message-hint help-message-error" : "help-message-hint"} aria-invalid={fieldErrors.message ? true : undefined} />
            <ErrorList id="help-message-error" errors={tr(fieldErrors.message)} />
          </div>
          <button type="submit" className="button" disabled={pending}>
            {t("support.new.submit")}
          </button>
        </Form>
      </div>
    </Page>
  );
}
