import type { ActionFunctionArgs } from "@remix-run/node";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { AcceptBody, IdParam } from "~/modules/api/api.schema.ts";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { notFound, ok } from "~/utils/http.server.ts";

/** POST /api/v1/questions/{id}/accept: mark the answer that solved it (the asker, or a moderator). */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: AcceptBody }, async ({ principal, body }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    const result = await acceptAnswer(principal!.member.id, BigInt(id.data.id), BigInt(body.answerId));
    return result.ok ? ok({ acceptedAnswerId: result.value.acceptedAnswerId.toString() }) : result;
  });
}
