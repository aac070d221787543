import type { ActionFunctionArgs } from "@remix-run/node";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam, VoteBody } from "~/modules/api/api.schema.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { notFound, ok } from "~/utils/http.server.ts";

/** POST /api/v1/posts/{id}/votes: vote up (1), down (-1) or take the vote back (0), by the same rules as the page. */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: VoteBody }, async ({ principal, body }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    const result = await castVote(principal!.member.id, BigInt(id.data.id), { value: String(body.value) });
    return result.ok ? ok({ postId: id.data.id, value: result.value.myVote, score: result.value.score }) : result;
  });
}
