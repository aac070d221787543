import type { LoaderFunctionArgs } from "@remix-run/node";
import { ListTicketsQuery } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { decodeKeysetCursor } from "~/modules/api/keyset-cursor.ts";
import { presentQueueRow } from "~/modules/api/present-kb-support.server.ts";
import { listQueueByCursor } from "~/modules/support/ticket-queries.server.ts";
import { ok } from "~/utils/http.server.ts";

/** GET /api/v1/tickets: the staff queue (staff and admins), the /support filters, waiting longest first, by cursor. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiEndpoint(request, params, { needs: "read", keyRequired: true, query: ListTicketsQuery }, async ({ principal, query, origin }) => {
    const filter = { status: query.status, assignee: query.assignee ?? "", priority: query.priority ?? "", source: query.source ?? "" } as const;
    const page = await listQueueByCursor(principal!.member, filter, query.cursor ? decodeKeysetCursor(query.cursor) : null);
    return page.ok ? ok({ items: page.value.rows.map((r) => presentQueueRow(origin, r)), counts: page.value.counts, nextCursor: page.value.nextCursor }) : page;
  });
}
