import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { markThreadNotificationsRead } from "~/modules/notifications/mark-read.server.ts";
import { recordView } from "~/modules/questions/record-view.server.ts";
import { IdParam } from "~/modules/questions/questions.schema.ts";
import { getCurrentUser } from "~/modules/users/sessions.server.ts";
import { readForm } from "~/utils/form.server.ts";
import { failureResponse } from "~/utils/http.server.ts";
import { readVisitorId } from "~/utils/visitor.server.ts";

/**
 * The page's "I was shown" signal: counts the view once per visitor per day (POST only), and marks
 * the member's notifications about this thread read (opening a post reads its notifications).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  await readForm(request);
  const id = IdParam.safeParse(params.id ?? "");
  if (!id.success) return json({ counted: false }, { status: 404 });
  const user = await getCurrentUser(request);
  const [result] = await Promise.all([
    recordView(id.data, { userId: user?.id ?? null, anonId: await readVisitorId(request) }),
    user && user.unreadNotifications > 0 ? markThreadNotificationsRead(user.id, id.data) : null,
  ]);
  if (!result.ok) return failureResponse(result);
  return json(result.value);
}
