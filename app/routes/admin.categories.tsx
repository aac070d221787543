import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { AdminTabs } from "~/components/admin-tabs.tsx";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { createCategory, moveCategory, setCategoryArchived, updateCategory } from "~/modules/categories/manage-categories.server.ts";
import { canManageCategories } from "~/modules/questions/questions.policy.ts";
import { listCategories } from "~/modules/questions/questions-queries.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { failureResponse, invariantResponse } from "~/utils/http.server.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, { text: `${metaT(matches)("categoriesAdmin.title")} | ${metaT(matches)("nav.admin")}` }) }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  invariantResponse(canManageCategories(user), "messages.categories.forbidden", 403);
  const categories = await listCategories(true);
  return json({ categories: categories.map((c) => ({ ...c, archived: !!c.archivedAt, archivedAt: undefined })) });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const input = Object.fromEntries(formData);
  const id = Number(formData.get("id"));
  const intent = formData.get("intent");
  const result =
    intent === "create"
      ? await createCategory(user, input, submissionOf(request, formData, user.id))
      : intent === "update"
        ? await updateCategory(user, id, input)
        : intent === "move"
          ? await moveCategory(user, id, input, submissionOf(request, formData, user.id))
          : await setCategoryArchived(user, id, input);
  if (!result.ok) return failureResponse(result);
  return json({ ok: true as const, formErrors: [] as string[], fieldErrors: {} as Record<string, string[]> });
}

export default function AdminCategoriesRoute() {
  const { t } = useTranslation();
  const { categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData && !actionData.ok ? [...(actionData.formErrors ?? []), ...Object.values(actionData.fieldErrors ?? {}).flat()] : [];
  return (
    <Page>
      <AdminTabs />
      <h1>{t("categoriesAdmin.title")}</h1>
      <FormErrors errors={errors} />
      <section className="card" aria-labelledby="new-category">
        <h2 id="new-category">{t("categoriesAdmin.new")}</h2>
        <Form method="post" className="search-row">
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <div className="field">
            <label htmlFor="new-name">{t("categoriesAdmin.name")}</label>
            <input id="new-name" name="name" type="text" required />
          </div>
          <div className="field">
            <label htmlFor="new-slug">{t("categoriesAdmin.slug")}</label>
            <input id="new-slug" name="slug" type="text" required pattern="[a-z0-9]+(-[a-z0-9]+)*" />
          </div>
          <div className="field">
            <label htmlFor="new-description">{t("categoriesAdmin.description")}</label>
            <input id="new-description" name="description" type="text" />
          </div>
          <button type="submit" className="button">
            {t("categoriesAdmin.create")}
          </button>
        </Form>
      </section>
      <section className="card" aria-label={t("categoriesAdmin.title")}>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("categoriesAdmin.category")}</th>
                <th scope="col">{t("categoriesAdmin.order")}</th>
                <th scope="col">{t("categoriesAdmin.status")}</th>
              </tr>
            </thead>
            <tbody>
              {categories.map((c) => (
                <tr key={c.id} data-testid={`category-${c.slug}`}>
                  <td>
                    <Form method="post" className="inline-form">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="id" value={c.id} />
                      <label className="visually-hidden" htmlFor={`name-${c.id}`}>
                        {t("categoriesAdmin.nameOf", { name: c.name })}
                      </label>
                      <input id={`name-${c.id}`} name="name" type="text" defaultValue={c.name} style={{ width: "12rem" }} />
                      <label className="visually-hidden" htmlFor={`slug-${c.id}`}>
                        {t("categoriesAdmin.slugOf", { name: c.name })}
                      </label>
                      <input id={`slug-${c.id}`} name="slug" type="text" defaultValue={c.slug} style={{ width: "10rem" }} />
                      <input type="hidden" name="description" value={c.description} />
                      <button type="submit" className="button secondary small">
                        {t("categoriesAdmin.rename")}
                      </button>
                    </Form>
                  </td>
                  <td>
                    {(["up", "down"] as const).map((direction) => (
                      <Form method="post" key={direction} style={{ display: "inline" }}>
                        <CsrfInput />
                        <input type="hidden" name="intent" value="move" />
                        <input type="hidden" name="id" value={c.id} />
                        <input type="hidden" name="direction" value={direction} />
                        <button type="submit" className="button secondary small" aria-label={t(direction === "up" ? "categoriesAdmin.moveUp" : "categoriesAdmin.moveDown", { name: c.name })}>
                          {direction === "up" ? "↑" : "↓"}
                        </button>
                      </Form>
                    ))}
                  </td>
                  <td>
                    <Form method="post" className="inline-form">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="archive" />
                      <input type="hidden" name="id" value={c.id} />
                      <input type="hidden" name="archived" value={c.archived ? "false" : "true"} />
                      {c.archived ? <span className="badge suspended">{t("categoriesAdmin.archived")}</span> : <span className="badge">{t("categoriesAdmin.active")}</span>}
                      <button type="submit" className="button secondary small" aria-label={t(c.archived ? "categoriesAdmin.restoreNamed" : "categoriesAdmin.archiveNamed", { name: c.name })}>
                        {c.archived ? t("categoriesAdmin.restore") : t("categoriesAdmin.archive")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Page>
  );
}
