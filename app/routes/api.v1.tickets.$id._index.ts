import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam } from "~/modules/api/api.schema.ts";
import { presentTicket } from "~/modules/api/present-kb-support.server.ts";
import { getTicketPage } from "~/modules/support/ticket-queries.server.ts";
import { notFound, ok } from "~/utils/http.server.ts";

/** GET /api/v1/tickets/{id}: a ticket with its messages and, for staff, notes and the customer's journey; anyone else 404. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiEndpoint(request, params, { needs: "read", keyRequired: true }, async ({ principal, origin }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    const ticket = await getTicketPage(principal!.member, BigInt(id.data.id));
    return ticket ? ok(presentTicket(origin, ticket)) : notFound("messages.support.ticketMissing");
  });
}
