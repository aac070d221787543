import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { canManageCategories } from "~/modules/questions/questions.policy.ts";
import { listRoutingDelays, setRoutingDelays } from "~/modules/support/set-routing-delays.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, invariantResponse } from "~/utils/http.server.ts";
import { metaT, pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, { text: `${metaT(matches)("support.routing.title")} | ${metaT(matches)("nav.admin")}` }) }];

/** /admin/routing: each category's tiered-routing delays (issue 20). Admins only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  invariantResponse(canManageCategories(user), "messages.support.routingForbidden", 403);
  return json({ categories: await listRoutingDelays() });
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const result = await setRoutingDelays(user, Number(formData.get("id")), Object.fromEntries(formData));
  if (!result.ok) return failureResponse(result, { id: String(formData.get("id") ?? "") });
  return json({ ok: true as const, id: String(formData.get("id") ?? ""), formErrors: [] as string[], fieldErrors: {} as Record<string, string[]> });
}

export default function RoutingRoute() {
  const { t } = useTranslation();
  const { categories } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <Page>
      <h1>{t("support.routing.title")}</h1>
      {data && !data.ok ? <FormErrors errors={[...(data.formErrors ?? []), ...Object.values(data.fieldErrors as Record<string, string[]>).flat()].map((e) => t(e, { defaultValue: e }))} /> : null}
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("categoriesAdmin.name", { defaultValue: "Category" })}</th>
              <th scope="col">{t("support.routing.offerHours")}</th>
              <th scope="col">{t("support.routing.escalateHours")}</th>
            </tr>
          </thead>
          <tbody>
            {categories.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td colSpan={3}>
                  <Form method="post" className="inline-form">
                    <CsrfInput />
                    <input type="hidden" name="id" value={c.id} />
                    <label className="visually-hidden" htmlFor={`offer-${c.id}`}>
                      {t("support.routing.offerHours")}
                    </label>
                    <input id={`offer-${c.id}`} name="expertOfferHours" type="number" min={1} max={720} defaultValue={c.expertOfferHours} style={{ width: "6rem" }} />
                    <label className="visually-hidden" htmlFor={`escalate-${c.id}`}>
                      {t("support.routing.escalateHours")}
                    </label>
                    <input id={`escalate-${c.id}`} name="escalateAfterHours" type="number" min={1} max={720} defaultValue={c.escalateAfterHours} style={{ width: "6rem" }} />
                    <button type="submit" className="button secondary small">
                      {t("support.routing.save")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
