import type { ActionFunctionArgs } from "@remix-run/node";
import { TicketStatusBody } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam } from "~/modules/api/api.schema.ts";
import { changeTicketStatus } from "~/modules/support/work-ticket.server.ts";
import { notFound } from "~/utils/http.server.ts";

/** POST /api/v1/tickets/{id}/status: new, open, waiting or closed (staff only; solving is /solve). */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: TicketStatusBody }, async ({ principal, body }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    return changeTicketStatus(principal!.member, BigInt(id.data.id), body);
  });
}
