/**
 * `npm run docs:events`: rewrites the "What happens when …" table of docs/architecture.md (between
 * its markers) from the event catalogue, the producers found in the source and the subscriptions the
 * worker wires. `app/modules/events/event-catalogue.test.ts` fails when the committed table differs.
 */
import fs from "node:fs";
import path from "node:path";
import { subscriptions } from "~/modules/jobs/event-subscriptions.server.ts";
import { DOC, ROOT, renderEventsTable, withBlock } from "./event-sources.ts";

const file = path.join(ROOT, DOC);
const before = fs.readFileSync(file, "utf8");
const after = withBlock(before, renderEventsTable(subscriptions));
if (after === before) console.log(`${DOC}: the events table is up to date.`);
else {
  fs.writeFileSync(file, after);
  console.log(`${DOC}: events table rewritten.`);
}
