import type { ActionFunctionArgs } from "@remix-run/node";
import { PublishReplyBody } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam } from "~/modules/api/api.schema.ts";
import { publishReplyAsAnswer } from "~/modules/support/work-ticket.server.ts";
import { notFound, ok } from "~/utils/http.server.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";

/** POST /api/v1/tickets/{id}/publish: "Publish as staff answer" for one staff reply (staff only; once per reply). */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: PublishReplyBody }, async ({ principal, body, origin }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    const result = await publishReplyAsAnswer(principal!.member, BigInt(id.data.id), BigInt(body.messageId), { title: body.title, tags: body.tags });
    return result.ok ? ok({ postId: result.value.postId.toString(), threadId: result.value.threadId.toString(), url: postPath(`${origin}/questions/${result.value.threadId}/_`, result.value.postId) }) : result;
  });
}
