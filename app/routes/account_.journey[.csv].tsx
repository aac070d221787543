import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse } from "~/modules/metrics/csv.server.ts";
import { ownJourney } from "~/modules/support/journey-queries.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";

/**
 * GET /account/journey.csv: the member's own journey of the last 90 days as CSV (their data, their right).
 * A resource route: a CSV returned by a page's loader is rendered as the page's data on a document request.
 * `seconds` is the time on page; `seconds_source` says whether the browser reported it (ADR 072) or it
 * is the time until the next step.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const steps = await ownJourney(user.id);
  return csvResponse(
    "threadwise-journey.csv",
    ["at", "journey", "kind", "label", "result_count", "link", "detail", "seconds", "seconds_source"],
    steps.map((s) => [s.at, s.run, s.kind, s.label, s.count, s.href, s.detail, s.seconds, s.seconds === null ? null : s.secondsReported ? "reported_by_browser" : "until_next_step"]),
  );
}
