import type { ActionFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormErrors } from "~/components/forms.tsx";
import { Page } from "~/components/layout.tsx";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { changeThreadState } from "~/modules/thread-states/change-thread-state.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, notFound, redirect } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";

/**
 * `POST /questions/<id>/state`: close, reopen, vote to close, mark duplicate, merge, lock, pin, move
 * and unlist (issue 19, ADR 048). Nobody signed in gets 403 like a member without the right (the use
 * cases decide); success goes back to the thread (or the merge target) with 303.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const id = IdParam.safeParse(params.id ?? "");
  if (!id.success) return failureResponse(notFound("messages.common.noSuchQuestion"), { intent });
  // A visitor is sent to sign in, as on every other form; a member who may not act gets 403 from the use case.
  const user = await requireUser(request);
  const result = await changeThreadState(user.id, id.data, intent, Object.fromEntries(formData), submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result, { intent });
  return redirect(result.value.path, 303);
}

/**
 * Shown only without JavaScript, when an action was refused: the reasons and the way back (a GET shows
 * only the way back). No loader: after an action Remix would run it, and it must not turn a refusal's
 * 403 into anything else.
 */
export default function ThreadStateResult() {
  const { t } = useTranslation();
  const data = useActionData<typeof action>();
  const { id } = useParams();
  const errors = data && !data.ok ? [...data.formErrors, ...Object.values((data.fieldErrors ?? {}) as Record<string, string[]>).flat()] : [];
  return (
    <Page>
      {data ? <h1>{t("threadStates.notChanged")}</h1> : null}
      <FormErrors errors={errors} />
      <p>
        <Link to={`/questions/${id}`}>{t("threadStates.backToQuestion")}</Link>
      </p>
    </Page>
  );
}
