/**
 * `npm run kb:recurring [-- --period 90]` recomputes the knowledge base's recurring-topics reports
 * now (the `refresh-recurring-topics` job does it every hour) and prints one JSON line of timings
 * per period. Uses DATABASE_URL (required: this is for a running installation's database).
 */
import { parseArgs } from "node:util";
import { REPORT_PERIODS, type ReportPeriod } from "~/modules/kb/kb.schema.ts";

const { values } = parseArgs({ options: { period: { type: "string" } } });
const periods = values.period ? [Number(values.period)] : [...REPORT_PERIODS];
if (!process.env.DATABASE_URL || periods.some((p) => !(REPORT_PERIODS as readonly number[]).includes(p))) {
  console.error(`Usage: DATABASE_URL=… npm run kb:recurring [-- --period ${REPORT_PERIODS.join("|")}]`);
  process.exit(2);
}
const { computeRecurringTopics } = await import("~/modules/kb/recurring-topics.server.ts");
const { disconnectDb } = await import("~/utils/db.server.ts");
try {
  for (const period of periods) {
    const started = performance.now();
    const result = await computeRecurringTopics(period as ReportPeriod);
    console.log(JSON.stringify({ period, ...result, reportId: result.reportId.toString(), wallMs: Math.round(performance.now() - started) }));
  }
} finally {
  await disconnectDb();
}
