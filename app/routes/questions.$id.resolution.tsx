import type { ActionFunctionArgs } from "@remix-run/node";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { answerResolutionCheck } from "~/modules/support/verify-resolution.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse, redirect } from "~/utils/http.server.ts";
import { submissionOf } from "~/utils/submission.server.ts";

/** POST the asker's answer to "Did this fix it?" (issue 20), then back to the thread (No offers "Still need help?" there). */
export async function action({ request, params }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const user = await requireUser(request);
  const id = IdParam.safeParse(params.id ?? "");
  if (!id.success) return failureResponse({ ok: false, kind: "not-found", message: "messages.common.noSuchQuestion" });
  const result = await answerResolutionCheck(user, id.data, Object.fromEntries(formData), submissionOf(request, formData, user.id));
  if (!result.ok) return failureResponse(result);
  return redirect(`/questions/${id.data}${result.value.verdict === "no" ? "#still-need-help" : ""}`);
}
