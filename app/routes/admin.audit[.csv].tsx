import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAuditExport } from "~/modules/audit/audit-queries.server.ts";
import { csvResponse } from "~/modules/metrics/csv.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { statusOf } from "~/utils/http.server.ts";
import { failureText } from "~/modules/users/failure-text.server.ts";

/** GET /admin/audit.csv?actor&action&targetType&targetId&from&to: the filtered audit log as streamed CSV (admins). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const result = getAuditExport(user, new URL(request.url).searchParams);
  if (!result.ok) {
    throw new Response(await failureText(request, result), { status: statusOf(result), headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return csvResponse(result.value.filename, result.value.header, result.value.rows);
}
