import type { ActionFunctionArgs } from "@remix-run/node";
import { AssignTicketBody } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam } from "~/modules/api/api.schema.ts";
import { assignTicket } from "~/modules/support/work-ticket.server.ts";
import { notFound } from "~/utils/http.server.ts";

/** POST /api/v1/tickets/{id}/assign: assign to a staff member or admin (null unassigns), staff only. */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: AssignTicketBody }, async ({ principal, body }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    return assignTicket(principal!.member, BigInt(id.data.id), { assigneeId: body.assigneeId ?? "" });
  });
}
