import type { ActionFunctionArgs } from "@remix-run/node";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { AnswerBody, IdParam } from "~/modules/api/api.schema.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { getThreadPath } from "~/modules/questions/questions-queries.server.ts";
import { notFound } from "~/utils/http.server.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";

/** POST /api/v1/questions/{id}/answers: answer (write scope), as the thread page's form does. */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: AnswerBody }, async ({ principal, body, submission, origin }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    const input = { ...body, body: typeof body.body === "object" ? JSON.stringify(body.body) : body.body };
    const result = await postAnswer(principal!.member.id, BigInt(id.data.id), input, submission);
    if (!result.ok) return result;
    // The answer's address needs the thread's path only, not a page of its answers.
    const threadPath = await getThreadPath(BigInt(id.data.id), principal!.member);
    return { ok: true, status: 201, value: { id: result.value.answerId.toString(), url: postPath(threadPath ? new URL(threadPath, origin).href : origin, result.value.answerId) } };
  });
}
