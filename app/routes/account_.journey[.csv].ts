import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse } from "~/modules/metrics/csv.server.ts";
import { ownJourney } from "~/modules/support/journey-queries.server.ts";
import { requireUser } from "~/modules/users/sessions.server.ts";

/**
 * GET /account/journey.csv: the member's own journey of the last 90 days as CSV (their data, their right).
 * A resource route: a page route's loader cannot answer a document request with CSV (Remix renders the
 * page with it, which failed with a 500 for every member).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const steps = await ownJourney(user.id);
  return csvResponse(
    "threadwise-journey.csv",
    ["at", "journey", "kind", "label", "result_count", "link", "detail", "seconds_until_next_step"],
    steps.map((s) => [s.at, s.run, s.kind, s.label, s.count, s.href, s.detail, s.seconds]),
  );
}
