import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ArticleForm } from "~/components/article-form.tsx";
import { Page } from "~/components/layout.tsx";
import { editArticle } from "~/modules/kb/edit-article.server.ts";
import { getArticleForEdit } from "~/modules/kb/kb-queries.server.ts";
import { requireArticleManager } from "~/modules/kb/require-manager.server.ts";
import { listCategories } from "~/modules/questions/questions-queries.server.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse, redirect } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data ? pageTitle(matches, "i18n.title.edit", { title: data.article.title }) : pageTitle(matches, "errors.notFoundTitle") }, { name: "robots", content: "noindex" }];

function articleId(raw: string | undefined) {
  const id = IdParam.safeParse(raw ?? "");
  invariantResponse(id.success, "messages.common.noSuchArticle", 404);
  return id.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireArticleManager(request);
  const article = await getArticleForEdit(articleId(params.id));
  invariantResponse(article, "messages.common.noSuchArticle", 404);
  return json({ article, categories: (await listCategories()).map((c) => ({ id: c.id, name: c.name })) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const id = articleId(params.id);
  const user = await requireUser(request);
  const result = await editArticle(user.id, id, Object.fromEntries(formData), submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result, { values: { title: String(formData.get("title") ?? ""), categoryId: String(formData.get("categoryId") ?? ""), tags: String(formData.get("tags") ?? ""), reviewBy: String(formData.get("reviewBy") ?? "") } });
  const saved = await getArticleForEdit(id);
  return redirect(saved!.path);
}

export default function EditArticleRoute() {
  const { t } = useTranslation();
  const { article, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = (actionData?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  const values = actionData?.values ?? { title: article.title, categoryId: article.categoryId, tags: article.tags.join(", "), reviewBy: article.reviewBy };
  return (
    <Page>
      <h1>{t("kb.editArticle")}</h1>
      {params.get("promoted") ? (
        <p className="notice" role="status">
          {t("kb.promote.created", { count: article.sourceCount })}
        </p>
      ) : null}
      <p>
        <Link to={article.path}>{t("kb.viewArticle")}</Link> · <Link to={`/kb/articles/${article.id}/revisions`}>{t("questions.history")}</Link> · <span className="badge">{t(`kb.status.${article.status}`)}</span>
      </p>
      <ArticleForm categories={categories} values={{ ...values, body: article.bodyJson }} errors={errors} formErrors={actionData && actionData.kind !== "invalid" ? actionData.formErrors : undefined} withReason submitLabel={t("questions.saveEdit")} />
    </Page>
  );
}
