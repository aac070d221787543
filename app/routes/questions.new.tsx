import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, ErrorList, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { RichTextEditor } from "~/components/rich-text-editor.tsx";
import { useEditorMessages } from "~/components/use-editor-messages.ts";
import { useImageUpload } from "~/components/use-image-upload.ts";
import { askQuestion } from "~/modules/questions/ask-question.server.ts";
import { listCategories } from "~/modules/questions/questions-queries.server.ts";
import { TITLE_MAX, TITLE_MIN } from "~/modules/questions/questions.schema.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, redirect } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { forwardRetryAfter } from "~/utils/headers.ts";
import { SimilarQuestions } from "~/components/similar-questions.tsx";
import { shortestLength } from "~/modules/content/text-length.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "questions.ask") }];
export const headers = forwardRetryAfter;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  // "Ask" from the home page's search box (or its sign-in round trip) brings what the visitor typed as the title.
  const params = new URL(request.url).searchParams;
  const draftTitle = Array.from((params.get("q") ?? params.get("title") ?? "").trim()).slice(0, TITLE_MAX).join("");
  return json({ categories: (await listCategories()).map((c) => ({ id: c.id, name: c.name })), draftTitle });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const result = await askQuestion(user.id, Object.fromEntries(formData), submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result, { values: { title: formData.get("title"), categoryId: formData.get("categoryId"), tags: formData.get("tags") } });
  // Held for review (spam checks, first posts; issue 19): the thread is not visible yet, so stay here and say so.
  if (result.value.held) return json({ ok: true as const, kind: "held" as const, formErrors: [] as string[] });
  return redirect(`/questions/${result.value.threadId}/${result.value.slug}`);
}

export default function AskRoute() {
  const upload = useImageUpload();
  const editorMessages = useEditorMessages();
  const { t } = useTranslation();
  const { categories, draftTitle } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const errors = (actionData && "fieldErrors" in actionData ? actionData.fieldErrors : {}) as Record<string, string[] | undefined>;
  const values = (actionData && "values" in actionData ? actionData.values : {}) as Record<string, string | undefined>;
  const described = (field: string) => (errors[field] ? `${field}-error` : undefined);
  return (
    <Page>
      <h1>{t("questions.ask")}</h1>
      <Form method="post" className="card">
        <CsrfInput />
        {actionData && actionData.kind === "held" ? (
          <p className="notice" role="status">
            {t("flags.heldNotice")}
          </p>
        ) : null}
        {actionData && actionData.kind !== "invalid" && actionData.kind !== "held" ? <FormErrors errors={actionData.formErrors} /> : null}
        <div className="field">
          <label htmlFor="title">{t("questions.titleLabel")}</label>
          <span id="title-hint" className="hint">
            {t("questions.titleHint")}
          </span>
          <input id="title" name="title" type="text" required minLength={shortestLength(TITLE_MIN)} maxLength={TITLE_MAX} defaultValue={values.title ?? draftTitle} aria-invalid={errors.title ? true : undefined} aria-describedby={["title-hint", described("title")].filter(Boolean).join(" ")} />
          <ErrorList id="title-error" errors={errors.title} />
          <SimilarQuestions inputId="title" />
        </div>
        <div className="field">
          <label htmlFor="categoryId">{t("questions.category")}</label>
          <select id="categoryId" name="categoryId" required defaultValue={values.categoryId ?? ""} aria-invalid={errors.categoryId ? true : undefined} aria-describedby={described("categoryId")}>
            <option value="">{t("questions.chooseCategory")}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id} translate="no">
                {c.name}
              </option>
            ))}
          </select>
          <ErrorList id="categoryId-error" errors={errors.categoryId} />
        </div>
        <div className="field">
          <label htmlFor="tags">{t("questions.tags")}</label>
          <span id="tags-hint" className="hint">
            {t("questions.tagsHint")}
          </span>
          <input id="tags" name="tags" type="text" required defaultValue={values.tags ?? ""} aria-invalid={errors.tags ? true : undefined} aria-describedby={["tags-hint", described("tags")].filter(Boolean).join(" ")} />
          <ErrorList id="tags-error" errors={errors.tags} />
        </div>
        <RichTextEditor name="body" label={t("questions.body")} errorId={errors.body ? "body-error" : undefined} onUploadImage={upload} messages={editorMessages} suggestMentions />
        <ErrorList id="body-error" errors={errors.body} />
        <button type="submit" className="button" disabled={pending} style={{ marginTop: "1rem" }}>
          {t("questions.post")}
        </button>
      </Form>
      <p className="still-need-help">
        <Link to="/support/new?source=ask">{t("support.stillNeedHelp")}</Link> <span className="muted">{t("support.stillNeedHelpHint")}</span>
      </p>
    </Page>
  );
}
