import type { ActionFunctionArgs } from "@remix-run/node";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { CommentBody, IdParam } from "~/modules/api/api.schema.ts";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { notFound } from "~/utils/http.server.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";

/** POST /api/v1/posts/{id}/comments: comment on a question or an answer (write scope). */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: CommentBody }, async ({ principal, body, submission, origin }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    const result = await addComment(principal!.member.id, BigInt(id.data.id), body, submission);
    if (!result.ok) return result;
    return { ok: true, status: 201, value: { id: result.value.commentId.toString(), url: postPath(`${origin}/questions/${result.value.threadId}/_`, id.data.id) } };
  });
}
