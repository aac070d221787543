import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { recomputeCells, refreshJourneyCells, utcDay } from "~/modules/metrics/rollups.server.ts";
import { purgeOldJourneys } from "./purge-journeys.server.ts";
import { ESCALATION_RATE_SQL, JOURNEY_CELLS_SQL, JOURNEY_DEFLECTION_SQL, supportMetrics, TICKET_TIMES_SQL, TICKETS_BY_SOURCE_SQL, VERIFIED_RESOLUTION_SQL } from "./support-metrics.server.ts";

const H = 3600_000;
const DAY = 24 * H;

/**
 * Every escalation metric on a fixed dataset, with the expected value worked out by hand, read
 * through the SQL that docs/metrics.md prints (the same strings).
 */
describe("escalation metrics on a fixed dataset", () => {
  test("escalation rate, tickets by source and outcome, first response and resolution times, verified resolution rate, deflection per journey", async () => {
    const d0 = new Date(Math.floor((Date.now() - 20 * DAY) / DAY) * DAY);
    const range = { lo: d0, hi: new Date(d0.getTime() + 3 * DAY), categoryId: null as number | null };
    const at = (hours: number) => new Date(d0.getTime() + hours * H);
    const category = await makeCategory("Metrics");
    const [m1, m2, m3, helper] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];

    // Four questions in the range, each accepted at +1h after asking; verdicts: yes, none, no, none+ticket.
    const threads: bigint[] = [];
    for (const [i, author] of [m1, m2, m2, m2].entries()) {
      const { threadId } = await makeQuestion(author.id, { categoryId: category.id, title: `Metric question ${i} întrebare 问题` });
      const answerId = await makeAnswer(helper.id, threadId);
      expect((await acceptAnswer(author.id, threadId, answerId)).ok).toBe(true);
      const asked = i === 0 ? at(3) : at(20 + i);
      await prisma.thread.update({ where: { id: threadId }, data: { createdAt: asked, resolvedAt: new Date(asked.getTime() + H) } });
      threads.push(threadId);
    }
    await prisma.threadFollowup.create({ data: { threadId: threads[0]!, checkAskedAt: at(80), verdict: "yes", verdictAt: at(81) } });
    await prisma.threadFollowup.create({ data: { threadId: threads[2]!, checkAskedAt: at(80), verdict: "no", verdictAt: at(81) } });
    // A question outside the range, and one in another category in the range.
    const outside = await makeQuestion(m1.id, { categoryId: category.id });
    await prisma.thread.update({ where: { id: outside.threadId }, data: { createdAt: new Date(d0.getTime() - DAY) } });

    // Tickets: on thread 3 by its asker a day after acceptance (first response +1h, solved +3h, staff answer);
    // a routing ticket on thread 1 (first response +2h, unsolved); one from the ask page by m3 (+4h, solved +5h, not a problem);
    // one before the range (counts nowhere).
    const t3 = at(24);
    await prisma.supportTicket.create({ data: { customerId: m2.id, source: "thread", threadId: threads[3]!, createdAt: t3, firstResponseAt: new Date(t3.getTime() + H), resolvedAt: new Date(t3.getTime() + 3 * H), status: "solved", outcome: "staff_answer" } });
    await prisma.supportTicket.create({ data: { customerId: m2.id, source: "routing", threadId: threads[1]!, createdAt: at(30), firstResponseAt: at(32) } });
    await prisma.supportTicket.create({ data: { customerId: m3.id, source: "ask", createdAt: at(11), firstResponseAt: at(15), resolvedAt: at(16), status: "solved", outcome: "not_a_problem" } });
    await prisma.supportTicket.create({ data: { customerId: m3.id, source: "ask", createdAt: new Date(d0.getTime() - H) } });

    // Journeys: an anonymous browser of m1 (search at +2h, article view 10 min later; m1 asks at +3h: not deflected);
    // m2: a thread view at +50h and a search 20 min later, then a search 1h40 after that (two journeys; m2's questions
    // and tickets are all before them: both deflected); m3: a search at +10h and a ticket at +11h (not deflected).
    const article = await prisma.article.create({ data: { categoryId: category.id, slug: "metric-article", title: "Metric article", bodyJson: {}, bodyHtml: "", bodyText: "", status: "published", ownerId: helper.id, authorId: helper.id } });
    await prisma.visitorLink.create({ data: { visitorId: "anon-browser-of-m1-0001", userId: m1.id } });
    await prisma.searchQuery.create({ data: { query: "export", resultCount: 2, source: "page", visitorKey: "a:anon-browser-of-m1-0001", createdAt: at(2) } });
    await prisma.articleView.create({ data: { articleId: article.id, visitorKey: "a:anon-browser-of-m1-0001", day: at(2), viewedAt: new Date(at(2).getTime() + 10 * 60_000) } });
    await prisma.threadView.create({ data: { threadId: outside.threadId, visitorKey: `u:${m2.id}`, day: at(50), userId: m2.id, viewedAt: at(50) } });
    await prisma.searchQuery.create({ data: { query: "factură", resultCount: 0, source: "page", visitorKey: `u:${m2.id}`, userId: m2.id, createdAt: new Date(at(50).getTime() + 20 * 60_000) } });
    await prisma.searchQuery.create({ data: { query: "发票", resultCount: 1, source: "header", visitorKey: `u:${m2.id}`, userId: m2.id, createdAt: at(52) } });
    await prisma.searchQuery.create({ data: { query: "ticket", resultCount: 0, source: "page", visitorKey: `u:${m3.id}`, userId: m3.id, createdAt: at(10) } });

    // The journey cells are the job's: none until it runs (for the days of the range and the one after).
    expect((await supportMetrics({ ...range, now: new Date() })).deflection).toEqual({ journeys: 0, deflected: 0, rate: null });
    expect(await refreshJourneyCells(new Date(d0.getTime() + 3 * DAY))).toHaveLength(4);
    const m = await supportMetrics({ ...range, now: new Date() });
    // 3 tickets in the range / 4 questions in the range.
    expect({ tickets: m.tickets, questions: m.questions, rate: m.escalationRate }).toEqual({ tickets: 3, questions: 4, rate: 0.75 });
    expect(m.bySource).toEqual([
      { source: "ask", outcome: "not_a_problem", tickets: 1 },
      { source: "routing", outcome: "none", tickets: 1 },
      { source: "thread", outcome: "staff_answer", tickets: 1 },
    ]);
    // First responses 3600, 7200, 14400 s: median 7200, p90 7200 + 0.8 × 7200 = 12960. Resolutions 10800, 18000: median 14400, p90 17280.
    expect(m.firstResponse).toEqual({ median: 7200, p90: 12960 });
    expect(m.resolution).toEqual({ median: 14400, p90: 17280 });
    // Decided: all four (accepted 20 days ago). Verified: thread 0 (yes) only. Thread 1 was silent but has a ticket of its
    // asker (the routing ticket) 8 hours after acceptance; thread 2 said no; thread 3's asker opened a ticket. So 1 of 4.
    expect(m.verified).toEqual({ decided: 4, verified: 1, rate: 0.25 });
    // Journeys: m1's anonymous one (not deflected), m2's two (deflected), m3's (not deflected).
    expect(m.deflection).toEqual({ journeys: 4, deflected: 2, rate: 0.5 });

    // Scoped to the category: the ask-page ticket drops out, and only m2's first journey starts in the category (a thread view).
    const scoped = await supportMetrics({ ...range, categoryId: category.id, now: new Date() });
    expect({ tickets: scoped.tickets, questions: scoped.questions }).toEqual({ tickets: 2, questions: 4 });
    expect(scoped.deflection).toEqual({ journeys: 1, deflected: 1, rate: 1 });
  });

  test("docs/metrics.md prints the exact SQL of every escalation metric", () => {
    const doc = fs.readFileSync("docs/metrics.md", "utf8");
    for (const sql of [ESCALATION_RATE_SQL, TICKETS_BY_SOURCE_SQL, TICKET_TIMES_SQL, VERIFIED_RESOLUTION_SQL, JOURNEY_CELLS_SQL, JOURNEY_DEFLECTION_SQL]) {
      expect(doc).toContain(sql.trim());
    }
  });
});

describe("deflection per journey kept as daily cells (ADR 077)", () => {
  const cells = async (from: string, to: string) =>
    prisma.$queryRaw<{ day: string; category_id: number; metric: string; value: number }[]>`
      SELECT day::text AS day, category_id, metric, value::int AS value FROM daily_rollups
      WHERE metric IN ('journeys', 'deflected_journeys') AND day BETWEEN ${from}::date AND ${to}::date ORDER BY 1, 2, 3`;
  const recompute = (days: string[]) => prisma.$transaction((tx) => recomputeCells(tx, "journeys", days));

  test("a journey over midnight counts once, on its first day, whether the days are computed one at a time or together; one longer than a day ends 24 hours after its start", async () => {
    const d1 = new Date(Math.floor((Date.now() - 30 * DAY) / DAY) * DAY);
    const day = (n: number) => utcDay(new Date(d1.getTime() + n * DAY));
    const at = (hours: number) => new Date(d1.getTime() + hours * H);
    const category = await makeCategory("Journeys");
    const [night, long, late] = [await makeUser(), await makeUser(), await makeUser()];
    const { threadId } = await makeQuestion(late.id, { categoryId: category.id, title: "Jurnal 日志 journey" });
    const search = (userId: string, when: Date, categoryId: number | null = null) =>
      prisma.searchQuery.create({ data: { query: "ieșire 导出", resultCount: 1, source: "page", visitorKey: `u:${userId}`, userId, createdAt: when, categoryId } });
    // night: 23:50 on day 0 (in the category), then 00:10 and 00:35 on day 1: one journey of day 0, deflected.
    await search(night.id, at(24 - 1 / 6), category.id);
    await search(night.id, at(24 + 1 / 6));
    await search(night.id, at(24 + 35 / 60));
    // long: a step every 20 minutes for 30 hours from 02:00 on day 0 (one journey), and a question 47 hours
    // after its start: within 24 hours of its end as counted (24 hours after its start), so not deflected.
    for (let m = 0; m <= 30 * 60; m += 20) await search(long.id, new Date(at(2).getTime() + m * 60_000));
    await makeQuestion(long.id, { categoryId: category.id });
    await prisma.thread.updateMany({ where: { authorId: long.id }, data: { createdAt: at(2 + 47) } });
    // late: a thread view at 12:00 on day 2 (the category's), a ticket 30 hours later: deflected.
    await prisma.threadView.create({ data: { threadId, visitorKey: `u:${late.id}`, day: at(48 + 12), userId: late.id, viewedAt: at(48 + 12) } });
    await prisma.supportTicket.create({ data: { customerId: late.id, source: "search", createdAt: at(48 + 12 + 30) } });

    await recompute([day(0), day(1), day(2), day(3)]);
    const together = await cells(day(0), day(3));
    // Day 0: long's journey (no category, not deflected) and night's (the category's, deflected); day 2: late's.
    expect(together).toEqual([
      { day: day(0), category_id: 0, metric: "journeys", value: 1 },
      { day: day(0), category_id: category.id, metric: "deflected_journeys", value: 1 },
      { day: day(0), category_id: category.id, metric: "journeys", value: 1 },
      { day: day(2), category_id: category.id, metric: "deflected_journeys", value: 1 },
      { day: day(2), category_id: category.id, metric: "journeys", value: 1 },
    ]);
    await prisma.$executeRaw`DELETE FROM daily_rollups WHERE metric IN ('journeys', 'deflected_journeys')`;
    for (const d of [day(3), day(1), day(0), day(2)]) await recompute([d]);
    expect(await cells(day(0), day(3))).toEqual(together);
    // A step added later moves only its own day: recomputing twice changes nothing.
    await recompute([day(0), day(1), day(2), day(3)]);
    expect(await cells(day(0), day(3))).toEqual(together);
  });

  test("the job recomputes today and the three days before; cells of days the retention job purged are kept as they are", async () => {
    const now = new Date();
    const today = utcDay(now);
    const member = await makeUser();
    await prisma.searchQuery.create({ data: { query: "refund", resultCount: 1, source: "page", visitorKey: `u:${member.id}`, userId: member.id, createdAt: new Date(now.getTime() - 60_000) } });
    expect(await refreshJourneyCells(now)).toEqual([3, 2, 1, 0].map((n) => utcDay(new Date(now.getTime() - n * DAY))));
    expect(await cells(today, today)).toContainEqual({ day: today, category_id: 0, metric: "journeys", value: 1 });
    // 100 days ago: before the retention job runs, an old day is recomputed from its steps like any other
    // (no wall clock decides it): a journey that day counts, and the cell written by hand is replaced.
    const old = utcDay(new Date(now.getTime() - 100 * DAY));
    await prisma.searchQuery.create({ data: { query: "vechi", resultCount: 1, source: "page", visitorKey: `u:${member.id}`, userId: member.id, createdAt: new Date(`${old}T12:00:00Z`) } });
    await prisma.$executeRaw`INSERT INTO daily_rollups (day, category_id, metric, value, updated_at) VALUES (${old}::date, 0, 'journeys', 7, now())`;
    await recompute([old, today]);
    expect(await cells(old, old)).toContainEqual({ day: old, category_id: 0, metric: "journeys", value: 1 });
    expect(await cells(old, old)).not.toContainEqual(expect.objectContaining({ value: 7 }));
    // Once the retention job has purged that day's steps (ADR 079), its cells are all that is left: kept as they are.
    await prisma.$executeRaw`UPDATE daily_rollups SET value = 7 WHERE day = ${old}::date AND metric = 'journeys'`;
    const kept = await cells(old, old);
    await purgeOldJourneys(now);
    await recompute([old, today]);
    expect(await cells(old, old)).toEqual(kept);
    expect(kept).toContainEqual({ day: old, category_id: 0, metric: "journeys", value: 7 });
    expect(await cells(today, today)).toContainEqual({ day: today, category_id: 0, metric: "journeys", value: 1 });
  });
});
