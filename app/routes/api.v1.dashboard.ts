import type { LoaderFunctionArgs } from "@remix-run/node";
import { DashboardQuery } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { presentDashboard } from "~/modules/api/present-kb-support.server.ts";
import { getDashboardCached, resolveScope } from "~/modules/metrics/dashboard-queries.server.ts";
import { rangeOfScope, supportMetrics } from "~/modules/support/support-metrics.server.ts";
import { ok } from "~/utils/http.server.ts";

/** GET /api/v1/dashboard: the /dashboard figures for a range (staff and admins), from the same functions as the page. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiEndpoint(request, params, { needs: "read", keyRequired: true, query: DashboardQuery }, async ({ principal, query, origin }) => {
    const scope = await resolveScope(principal!.member, query);
    if (!scope.ok) return scope;
    const [dashboard, support] = await Promise.all([getDashboardCached(scope.value), supportMetrics(rangeOfScope(scope.value))]);
    return ok(presentDashboard(origin, dashboard, support));
  });
}
