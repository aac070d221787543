import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, ErrorList, FormErrors } from "~/components/forms.tsx";
import { RichTextEditor } from "~/components/rich-text-editor.tsx";
import { useEditorMessages } from "~/components/use-editor-messages.ts";
import { useImageUpload } from "~/components/use-image-upload.ts";
import { TITLE_MAX, TITLE_MIN } from "~/modules/questions/questions.schema.ts";
import { shortestLength } from "~/modules/content/text-length.ts";

export type ArticleFormValues = { title?: string; categoryId?: string | number; tags?: string; reviewBy?: string; body?: object | null };

/** The article editor form (new and edit): title, category, tags, review-by date, rich-text body. */
export function ArticleForm({
  categories,
  values,
  errors,
  formErrors,
  withReason,
  submitLabel,
}: {
  categories: { id: number; name: string }[];
  values: ArticleFormValues;
  errors: Record<string, string[] | undefined>;
  formErrors?: string[];
  withReason?: boolean;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const upload = useImageUpload();
  const editorMessages = useEditorMessages();
  const pending = useNavigation().state === "submitting";
  const described = (field: string, hint?: string) => [hint, errors[field] ? `${field}-error` : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <Form method="post" className="card">
      <CsrfInput />
      <FormErrors errors={formErrors} />
      <div className="field">
        <label htmlFor="title">{t("kb.form.title")}</label>
        <input id="title" name="title" type="text" required minLength={shortestLength(TITLE_MIN)} maxLength={TITLE_MAX} defaultValue={values.title ?? ""} aria-invalid={errors.title ? true : undefined} aria-describedby={described("title")} />
        <ErrorList id="title-error" errors={errors.title} />
      </div>
      <div className="field">
        <label htmlFor="categoryId">{t("kb.form.category")}</label>
        <select id="categoryId" name="categoryId" required defaultValue={String(values.categoryId ?? "")} aria-invalid={errors.categoryId ? true : undefined} aria-describedby={described("categoryId")}>
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
        <label htmlFor="tags">{t("kb.form.tags")}</label>
        <span id="tags-hint" className="hint">
          {t("questions.tagsHint")}
        </span>
        <input id="tags" name="tags" type="text" required defaultValue={values.tags ?? ""} aria-invalid={errors.tags ? true : undefined} aria-describedby={described("tags", "tags-hint")} />
        <ErrorList id="tags-error" errors={errors.tags} />
      </div>
      <div className="field">
        <label htmlFor="reviewBy">{t("kb.form.reviewBy")}</label>
        <span id="reviewBy-hint" className="hint">
          {t("kb.form.reviewByHint")}
        </span>
        <input id="reviewBy" name="reviewBy" type="date" defaultValue={values.reviewBy ?? ""} aria-invalid={errors.reviewBy ? true : undefined} aria-describedby={described("reviewBy", "reviewBy-hint")} />
        <ErrorList id="reviewBy-error" errors={errors.reviewBy} />
      </div>
      <RichTextEditor name="body" label={t("kb.form.body")} defaultValue={values.body ?? null} errorId={errors.body ? "body-error" : undefined} onUploadImage={upload} messages={editorMessages} minHeight="18rem" />
      <ErrorList id="body-error" errors={errors.body} />
      {withReason ? (
        <div className="field" style={{ marginTop: "1rem" }}>
          <label htmlFor="reason">{t("questions.reason")}</label>
          <input id="reason" name="reason" type="text" maxLength={200} aria-invalid={errors.reason ? true : undefined} aria-describedby={described("reason")} />
          <ErrorList id="reason-error" errors={errors.reason} />
        </div>
      ) : null}
      <button type="submit" className="button" disabled={pending} style={{ marginTop: "1rem" }}>
        {submitLabel}
      </button>
    </Form>
  );
}
