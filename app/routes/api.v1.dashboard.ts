import type { LoaderFunctionArgs } from "@remix-run/node";
import { DashboardQuery } from "~/modules/api/api-kb-support.schema.ts";
import { apiEndpoint } from "~/modules/api/api-http.server.ts";
import { presentDashboard } from "~/modules/api/present-kb-support.server.ts";
import { getDashboardCached, resolveScope } from "~/modules/metrics/dashboard-queries.server.ts";
import { ok } from "~/utils/http.server.ts";

/** GET /api/v1/dashboard: the /dashboard figures for a range (staff and admins), from the same functions as the page. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return apiEndpoint(request, params, { needs: "read", keyRequired: true, query: DashboardQuery }, async ({ principal, query, origin }) => {
    const scope = await resolveScope(principal!.member, query);
    if (!scope.ok) return scope;
    // The escalation figures are part of the cached dashboard (ADR 077): not computed a second time here.
    const dashboard = await getDashboardCached(scope.value);
    return ok(presentDashboard(origin, dashboard, dashboard.support));
  });
}
