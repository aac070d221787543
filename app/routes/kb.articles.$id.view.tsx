import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { recordArticleView } from "~/modules/kb/record-article-view.server.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse } from "~/utils/http.server.ts";
import { readVisitorId } from "~/utils/visitor.server.ts";

/** The article page's "I was shown" signal: counts the view once per visitor per day (POST only). */
export async function action({ request, params }: ActionFunctionArgs) {
  await readForm(request);
  const id = IdParam.safeParse(params.id ?? "");
  if (!id.success) return json({ counted: false }, { status: 404 });
  const user = await getCurrentUser(request);
  const result = await recordArticleView(id.data, { userId: user?.id ?? null, anonId: await readVisitorId(request) });
  if (!result.ok) return failureResponse(result);
  return json(result.value);
}
