import type { ActionFunctionArgs } from "@remix-run/node";
import { TicketPriorityBody } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam } from "~/modules/api/api.schema.ts";
import { changeTicketPriority } from "~/modules/support/work-ticket.server.ts";
import { notFound } from "~/utils/http.server.ts";

/** POST /api/v1/tickets/{id}/priority: low, normal, high or urgent (staff only). */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: TicketPriorityBody }, async ({ principal, body }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    return changeTicketPriority(principal!.member, BigInt(id.data.id), body);
  });
}
