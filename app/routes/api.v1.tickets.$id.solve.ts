import type { ActionFunctionArgs } from "@remix-run/node";
import { SolveTicketBody } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam } from "~/modules/api/api.schema.ts";
import { solveTicket } from "~/modules/support/work-ticket.server.ts";
import { notFound } from "~/utils/http.server.ts";

/** POST /api/v1/tickets/{id}/solve: solved, with the outcome and the article or thread that solved it (staff only). */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: SolveTicketBody }, async ({ principal, body, submission }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    return solveTicket(principal!.member, BigInt(id.data.id), { outcome: body.outcome, link: body.link ?? "" }, submission);
  });
}
