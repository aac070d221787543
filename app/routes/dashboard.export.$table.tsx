import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse } from "~/modules/metrics/csv.server.ts";
import { resolveScope } from "~/modules/metrics/dashboard-queries.server.ts";
import { dashboardExport } from "~/modules/metrics/export-dashboard.server.ts";
import { EXPORTS, type ExportName } from "~/modules/metrics/metrics.schema.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";
import { invariantResponse, statusOf } from "~/utils/http.server.ts";
import { failureText } from "~/modules/users/failure-text.server.ts";

/** GET /dashboard/export/<table>?range&from&to&category: one dashboard table as streamed CSV (staff and admins). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const name = params.table as ExportName;
  invariantResponse(EXPORTS.includes(name), "Unknown export", 404);
  const scope = await resolveScope(user, Object.fromEntries(new URL(request.url).searchParams));
  if (!scope.ok) {
    throw new Response(await failureText(request, scope), { status: statusOf(scope), headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const csv = dashboardExport(scope.value, name);
  return csvResponse(csv.filename, csv.header, csv.rows);
}
