import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ArticleForm } from "~/components/article-form.tsx";
import { Page } from "~/components/layout.tsx";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { requireArticleManager } from "~/modules/kb/require-manager.server.ts";
import { listCategories } from "~/modules/questions/questions-queries.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, redirect } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "kb.newArticle") }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireArticleManager(request);
  return json({ categories: (await listCategories()).map((c) => ({ id: c.id, name: c.name })) });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const result = await createArticle(user.id, Object.fromEntries(formData), submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result, { values: { title: String(formData.get("title") ?? ""), categoryId: String(formData.get("categoryId") ?? ""), tags: String(formData.get("tags") ?? ""), reviewBy: String(formData.get("reviewBy") ?? "") } });
  return redirect(`/kb/articles/${result.value.articleId}/edit?created=1`);
}

export default function NewArticleRoute() {
  const { t } = useTranslation();
  const { categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = (actionData?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  return (
    <Page>
      <h1>{t("kb.newArticle")}</h1>
      <ArticleForm categories={categories} values={actionData?.values ?? {}} errors={errors} formErrors={actionData && actionData.kind !== "invalid" ? actionData.formErrors : undefined} submitLabel={t("kb.form.saveDraft")} />
    </Page>
  );
}
