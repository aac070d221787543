import { performance } from "node:perf_hooks";
import { prisma } from "~/utils/db.server.ts";
import * as S from "~/modules/support/support-metrics.server.ts";
import * as D from "~/modules/metrics/dashboard-queries.server.ts";
import { resolveRange } from "~/modules/metrics/metrics.schema.ts";

const today = new Date().toISOString().slice(0, 10);
const r = resolveRange({ range: "90" as never }, today);
if (!r.ok) throw new Error("range");
const scope = { ...r.value, categoryId: null, categorySlug: null, categoryName: null };
const range = S.rangeOfScope({ from: scope.from, to: scope.to, categoryId: null });
const t = async (name: string, f: () => Promise<unknown>) => { const s = performance.now(); await f(); console.log(name.padEnd(28), Math.round(performance.now() - s), "ms"); };
const only = process.argv[2];
const q = (sql: string, ...a: unknown[]) => () => prisma.$queryRawUnsafe(sql, ...a);
const all: [string, () => Promise<unknown>][] = [
  ["escalation", q(S.ESCALATION_RATE_SQL, range.lo, range.hi, null)],
  ["bySource", q(S.TICKETS_BY_SOURCE_SQL, range.lo, range.hi, null)],
  ["times", q(S.TICKET_TIMES_SQL, range.lo, range.hi, null)],
  ["verified", q(S.VERIFIED_RESOLUTION_SQL, range.lo, range.hi, null, new Date())],
  ["experts", () => D.topExperts(scope, 10)],
  ["series", () => D.series(scope)],
  ["unanswered", () => D.unansweredQueue(scope, 20)],
  ["articles", () => D.articleHelpfulness(scope)],
  ["zero", () => D.zeroResultQueries(scope, 20)],
  ["topics", () => D.recurringTopics(scope)],
  ["getDashboard", () => D.getDashboard(scope)],
];
if (only === "journeys") all.push(["journeys", q(S.JOURNEY_DEFLECTION_SQL, range.lo, range.hi, null)]);
for (let i = 0; i < 2; i++) for (const [n, f] of all) await t(n, f);
await prisma.$disconnect();
