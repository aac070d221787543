import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, ErrorList, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { RichTextEditor } from "~/components/rich-text-editor.tsx";
import { useEditorMessages } from "~/components/use-editor-messages.ts";
import { useImageUpload } from "~/components/use-image-upload.ts";
import { editPost } from "~/modules/questions/edit-post.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { canEdit } from "~/modules/questions/questions.policy.ts";
import { getPostForEdit } from "~/modules/questions/questions-queries.server.ts";
import { IdParam, TITLE_MAX, TITLE_MIN } from "~/modules/questions/questions.schema.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse, redirect } from "~/utils/http.server.ts";
import { shortestLength } from "~/modules/content/text-length.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "questions.edit") }, { name: "robots", content: "noindex" }];

function parseId(raw: string | undefined) {
  const id = IdParam.safeParse(raw ?? "");
  invariantResponse(id.success, "messages.common.noSuchPost", 404);
  return id.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const post = await getPostForEdit(parseId(params.id), user);
  invariantResponse(post, "messages.common.noSuchPost", 404);
  invariantResponse(canEdit(await loadMember(user.id), post), "messages.questions.editForbidden", 403);
  return json({ id: post.id.toString(), kind: post.kind, title: post.kind === "question" ? post.thread.title : null, body: post.bodyJson as object, threadPath: `/questions/${post.thread.id}/${post.thread.slug}` });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const result = await editPost(user.id, parseId(params.id), Object.fromEntries(formData), submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result);
  return redirect(`/questions/${result.value.threadId}/_`);
}

export default function EditRoute() {
  const upload = useImageUpload();
  const editorMessages = useEditorMessages();
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useNavigation().state === "submitting";
  const errors = (actionData?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  return (
    <Page>
      <h1>{t("questions.edit")}</h1>
      <Form method="post" className="card">
        <CsrfInput />
        {actionData && actionData.kind !== "invalid" ? <FormErrors errors={actionData.formErrors} /> : null}
        {data.title !== null ? (
          <div className="field">
            <label htmlFor="title">{t("questions.titleLabel")}</label>
            <input id="title" name="title" type="text" required minLength={shortestLength(TITLE_MIN)} maxLength={TITLE_MAX} defaultValue={data.title} aria-invalid={errors.title ? true : undefined} />
            <ErrorList id="title-error" errors={errors.title} />
          </div>
        ) : null}
        <RichTextEditor name="body" label={t("questions.body")} defaultValue={data.body} errorId={errors.body ? "body-error" : undefined} onUploadImage={upload} messages={editorMessages} suggestMentions />
        <ErrorList id="body-error" errors={errors.body} />
        <div className="field" style={{ marginTop: "1rem" }}>
          <label htmlFor="reason">{t("questions.reason")}</label>
          <input id="reason" name="reason" type="text" maxLength={200} />
        </div>
        <button type="submit" className="button" disabled={pending}>
          {t("questions.saveEdit")}
        </button>
      </Form>
    </Page>
  );
}
