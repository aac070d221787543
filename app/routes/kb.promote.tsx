import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { promoteThreads } from "~/modules/kb/promote-threads.server.ts";
import { requireArticleManager } from "~/modules/kb/require-manager.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, redirect } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";
import { pageTitle } from "~/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "kb.promote.title") }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireArticleManager(request);
  return json({});
}

/**
 * Promotes the posted threads (one from a thread page, several from the recurring-topics report).
 * Success opens the pre-filled draft; an unresolved thread asks for a confirmation; a thread that
 * already has an article offers that article instead.
 */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const result = await promoteThreads(user.id, { threadIds: formData.getAll("threadIds").map(String), confirmUnresolved: formData.get("confirmUnresolved") ?? undefined }, submissionOf(request, formData, user.id));
  if (result.ok) return redirect(`/kb/articles/${result.value.articleId}/edit?promoted=1`);
  if (result.kind === "already-promoted") return json({ kind: result.kind, articles: result.articles }, { status: 409 });
  if (result.kind === "needs-confirmation") return json({ kind: result.kind, unresolved: result.unresolved, threadIds: result.threadIds });
  return failureResponse(result);
}

export default function PromoteRoute() {
  const { t } = useTranslation();
  const data = useActionData<typeof action>();
  return (
    <Page narrow>
      <h1>{t("kb.promote.title")}</h1>
      {!data ? (
        <p className="card">
          {t("kb.promote.howTo")} <Link to="/kb/recurring">{t("kb.recurring.title")}</Link>
        </p>
      ) : data.kind === "needs-confirmation" && "unresolved" in data ? (
        <div className="card" role="alert">
          <p>{t("kb.promote.unresolved", { count: data.unresolved.length })}</p>
          <ul>
            {data.unresolved.map((u) => (
              <li key={u.id}>
                <Link to={`/questions/${u.id}`}>{u.title}</Link>
              </li>
            ))}
          </ul>
          <Form method="post">
            <CsrfInput />
            {data.threadIds.map((id) => (
              <input key={id} type="hidden" name="threadIds" value={id} />
            ))}
            <input type="hidden" name="confirmUnresolved" value="yes" />
            <button type="submit" className="button">
              {t("kb.promote.confirm")}
            </button>
          </Form>
        </div>
      ) : data.kind === "already-promoted" && "articles" in data ? (
        <div className="card" role="alert">
          <p>{t("kb.promote.already")}</p>
          <ul>
            {data.articles.map((a) => (
              <li key={a.threadId}>
                {a.threadTitle} → <Link to={a.path}>{t("kb.promote.open", { title: a.title })}</Link> ({t(`kb.status.${a.status}`)})
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <FormErrors errors={"formErrors" in data ? data.formErrors : [t("kb.promote.failed")]} />
      )}
    </Page>
  );
}
