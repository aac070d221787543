import type { ActionFunctionArgs } from "@remix-run/node";
import { TicketMessageBody } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { IdParam } from "~/modules/api/api.schema.ts";
import { addTicketMessage } from "~/modules/support/work-ticket.server.ts";
import { notFound } from "~/utils/http.server.ts";

/** POST /api/v1/tickets/{id}/messages: a staff reply or internal note, or the customer's own reply (the ticket page's forms). */
export function action({ request, params }: ActionFunctionArgs) {
  return apiEndpoint(request, params, { needs: "write", body: TicketMessageBody }, async ({ principal, body, submission, origin }) => {
    const id = IdParam.safeParse(params);
    if (!id.success) return notFound();
    const result = await addTicketMessage(principal!.member, BigInt(id.data.id), body.kind, { body: body.body }, submission);
    if (!result.ok) return result;
    return { ok: true, status: 201, value: { id: result.value.messageId.toString(), url: `${origin}/support/tickets/${id.data.id}` } };
  });
}
