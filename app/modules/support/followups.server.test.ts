import { describe, expect, test } from "vitest";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { drainEvents, makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { createTicket } from "./create-ticket.server.ts";
import { purgeOldJourneys } from "./purge-journeys.server.ts";
import { routeUnansweredQuestions } from "./route-questions.server.ts";
import { answerResolutionCheck, askResolutionChecks, resolutionState } from "./verify-resolution.server.ts";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

async function actorOf(id: string) {
  const u = await prisma.user.findUniqueOrThrow({ where: { id }, select: { id: true, role: true, status: true } });
  return { id: u.id, role: u.role, status: u.status };
}

/** A question asked at `askedAt` (the clock of the test), not at the machine's now. */
async function askedAt(authorId: string, categoryId: number, at: Date, title = "Why is my export empty?") {
  const q = await makeQuestion(authorId, { categoryId, title });
  await prisma.thread.update({ where: { id: q.threadId }, data: { createdAt: at } });
  return q.threadId;
}

describe("tiered routing, with a controllable clock", () => {
  test("after the category's first delay the experts are offered the question; after the second, it becomes one escalated ticket", async () => {
    const category = await makeCategory("Facturare 发票");
    await prisma.category.update({ where: { id: category.id }, data: { expertOfferHours: 2, escalateAfterHours: 5 } });
    const expert = await makeUser();
    const otherExpert = await makeUser();
    await prisma.user.update({ where: { id: expert.id }, data: { expertCategoryIds: [category.id] } });
    await prisma.user.update({ where: { id: otherExpert.id }, data: { expertCategoryIds: [category.id + 1000] } });
    const asker = await makeUser();
    const t0 = new Date(Date.now() - 3 * DAY);
    const threadId = await askedAt(asker.id, category.id, t0);
    const answered = await askedAt(asker.id, category.id, t0, "This one gets an answer");
    await makeAnswer(expert.id, answered);

    // 1h59 later: too early.
    expect(await routeUnansweredQuestions(new Date(t0.getTime() + 2 * HOUR - 60_000))).toEqual({ offered: 0, escalated: 0 });
    // 2h later: offered once, to this category's expert only.
    expect((await routeUnansweredQuestions(new Date(t0.getTime() + 2 * HOUR))).offered).toBe(1);
    expect((await routeUnansweredQuestions(new Date(t0.getTime() + 3 * HOUR))).offered).toBe(0);
    await drainEvents();
    const notices = await prisma.notification.findMany({ where: { kind: "expert_offer", threadId }, select: { recipientId: true } });
    expect(notices).toEqual([{ recipientId: expert.id }]);
    // 5h after the offer, less a minute: not yet; then escalated once, as a routing ticket of the asker.
    expect((await routeUnansweredQuestions(new Date(t0.getTime() + 7 * HOUR - 60_000))).escalated).toBe(0);
    expect((await routeUnansweredQuestions(new Date(t0.getTime() + 7 * HOUR))).escalated).toBe(1);
    expect((await routeUnansweredQuestions(new Date(t0.getTime() + 9 * HOUR))).escalated).toBe(0);
    const tickets = await prisma.supportTicket.findMany({ where: { threadId }, select: { source: true, customerId: true, status: true } });
    expect(tickets).toEqual([{ source: "routing", customerId: asker.id, status: "new" }]);
    expect(await prisma.supportTicket.count({ where: { threadId: answered } })).toBe(0);
    const steps = await prisma.domainEvent.findMany({ where: { subjectType: "thread", subjectId: threadId.toString(), type: { in: ["question.offered_to_experts", "question.escalated"] } }, orderBy: { id: "asc" }, select: { type: true, payload: true } });
    expect(steps.map((s) => s.type)).toEqual(["question.offered_to_experts", "question.escalated"]);
    expect(steps[0]!.payload).toEqual({ categoryId: category.id, afterHours: 2 });
    const state = await resolutionState(threadId);
    expect(state.offeredAt).not.toBeNull();
    expect(state.escalatedAt).not.toBeNull();
  });

  test("the defaults are 12 hours, then 24 hours more; an answer in between stops the escalation", async () => {
    const category = await makeCategory();
    const asker = await makeUser();
    const t0 = new Date(Date.now() - 4 * DAY);
    const threadId = await askedAt(asker.id, category.id, t0);
    expect((await routeUnansweredQuestions(new Date(t0.getTime() + 12 * HOUR - 1000))).offered).toBe(0);
    expect((await routeUnansweredQuestions(new Date(t0.getTime() + 12 * HOUR))).offered).toBe(1);
    await makeAnswer((await makeUser()).id, threadId);
    expect((await routeUnansweredQuestions(new Date(t0.getTime() + 40 * HOUR))).escalated).toBe(0);
    expect(await prisma.supportTicket.count({ where: { threadId } })).toBe(0);
  });

  test("the database allows one routing ticket per question", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    await prisma.supportTicket.create({ data: { customerId: asker.id, source: "routing", threadId } });
    await expect(prisma.supportTicket.create({ data: { customerId: asker.id, source: "routing", threadId } })).rejects.toThrow();
  });
});

describe("verified resolution", () => {
  async function acceptedThread(acceptedAt: Date) {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const answerId = await makeAnswer((await makeUser()).id, threadId);
    expect((await acceptAnswer(asker.id, threadId, answerId)).ok).toBe(true);
    await prisma.thread.update({ where: { id: threadId }, data: { resolvedAt: acceptedAt } });
    return { asker, threadId };
  }

  test("3 days after acceptance the asker is asked once (in-app notice); yes verifies; no shows it unresolved; only the asker answers, once", async () => {
    const now = new Date();
    const { asker, threadId } = await acceptedThread(new Date(now.getTime() - 3 * DAY + HOUR));
    expect(await askResolutionChecks(now)).toBe(0);
    expect(await answerResolutionCheck(await actorOf(asker.id), threadId, { verdict: "yes" })).toMatchObject({ kind: "conflict" });
    expect(await askResolutionChecks(new Date(now.getTime() + HOUR))).toBeGreaterThanOrEqual(1);
    expect(await askResolutionChecks(new Date(now.getTime() + 2 * HOUR))).toBe(0);
    await drainEvents();
    expect(await prisma.notification.count({ where: { kind: "resolution_check", threadId, recipientId: asker.id } })).toBe(1);
    expect((await resolutionState(threadId)).state).toBe("asked");

    const stranger = await actorOf((await makeUser()).id);
    expect(await answerResolutionCheck(stranger, threadId, { verdict: "no" })).toMatchObject({ kind: "forbidden" });
    expect(await answerResolutionCheck(await actorOf(asker.id), threadId, { verdict: "maybe" })).toMatchObject({ kind: "invalid" });
    expect(await answerResolutionCheck(await actorOf(asker.id), threadId, { verdict: "no" })).toEqual({ ok: true, value: { verdict: "no" } });
    expect(await answerResolutionCheck(await actorOf(asker.id), threadId, { verdict: "yes" })).toMatchObject({ kind: "conflict" });
    const state = await resolutionState(threadId);
    expect(state.state).toBe("unresolved");
    // The acceptance stays.
    expect((await prisma.thread.findUniqueOrThrow({ where: { id: threadId } })).acceptedAnswerId).not.toBeNull();

    const other = await acceptedThread(new Date(now.getTime() - 4 * DAY));
    await askResolutionChecks(now);
    expect(await answerResolutionCheck(await actorOf(other.asker.id), other.threadId, { verdict: "yes" })).toMatchObject({ ok: true });
    expect((await resolutionState(other.threadId)).state).toBe("verified");
  });

  test("silence counts as verified after 14 days, unless the asker opened a ticket on the thread within them", async () => {
    const now = new Date();
    const silent = await acceptedThread(new Date(now.getTime() - 15 * DAY));
    const ticketed = await acceptedThread(new Date(now.getTime() - 15 * DAY));
    const recent = await acceptedThread(new Date(now.getTime() - 10 * DAY));
    await createTicket(await actorOf(ticketed.asker.id), null, { source: "thread", threadId: ticketed.threadId.toString() });
    await prisma.supportTicket.updateMany({ where: { threadId: ticketed.threadId }, data: { createdAt: new Date(now.getTime() - 5 * DAY) } });
    expect((await resolutionState(silent.threadId, now)).state).toBe("assumed");
    expect((await resolutionState(ticketed.threadId, now)).state).not.toBe("assumed");
    expect((await resolutionState(recent.threadId, now)).state).not.toBe("assumed");
  });
});

describe("the journey's retention", () => {
  test("activity older than 90 days loses what ties it to a person; newer activity is untouched", async () => {
    const m = await makeUser();
    const { threadId } = await makeQuestion(m.id);
    const now = new Date();
    const old = new Date(now.getTime() - 91 * DAY);
    await prisma.threadView.create({ data: { threadId, visitorKey: `u:${m.id}`, day: old, userId: m.id, viewedAt: old } });
    await prisma.threadView.create({ data: { threadId, visitorKey: `u:${m.id}`, day: now, userId: m.id, viewedAt: now } });
    const oldSearch = await prisma.searchQuery.create({ data: { query: "veche", resultCount: 0, source: "page", visitorKey: `u:${m.id}`, userId: m.id, createdAt: old } });
    const newSearch = await prisma.searchQuery.create({ data: { query: "nouă", resultCount: 0, source: "page", visitorKey: `u:${m.id}`, userId: m.id, createdAt: now } });
    await prisma.visitorLink.create({ data: { visitorId: "old-browser-id-123456", userId: m.id, linkedAt: old } });
    await purgeOldJourneys(now);
    expect(await prisma.threadView.count({ where: { threadId } })).toBe(1);
    expect(await prisma.searchQuery.findUniqueOrThrow({ where: { id: oldSearch.id } })).toMatchObject({ query: "veche", visitorKey: null, userId: null });
    expect(await prisma.searchQuery.findUniqueOrThrow({ where: { id: newSearch.id } })).toMatchObject({ visitorKey: `u:${m.id}` });
    expect(await prisma.visitorLink.count({ where: { userId: m.id } })).toBe(0);
  });
});

describe("routing delays are category settings", () => {
  test("an admin sets them (audited); a staff member cannot (403); out-of-range hours are a 400", async () => {
    const { setRoutingDelays } = await import("./set-routing-delays.server.ts");
    const category = await makeCategory();
    const admin = await actorOf((await makeUser({ role: "admin" })).id);
    const staff = await actorOf((await makeUser({ role: "staff" })).id);
    expect(await setRoutingDelays(staff, category.id, { expertOfferHours: "2", escalateAfterHours: "3" })).toMatchObject({ kind: "forbidden" });
    expect(await setRoutingDelays(admin, category.id, { expertOfferHours: "0", escalateAfterHours: "9999" })).toMatchObject({
      kind: "invalid",
      fieldErrors: { expertOfferHours: expect.any(Array), escalateAfterHours: expect.any(Array) },
    });
    expect(await setRoutingDelays(admin, category.id, { expertOfferHours: "2", escalateAfterHours: "3" })).toEqual({ ok: true, value: { expertOfferHours: 2, escalateAfterHours: 3 } });
    expect(await prisma.category.findUniqueOrThrow({ where: { id: category.id }, select: { expertOfferHours: true, escalateAfterHours: true } })).toEqual({ expertOfferHours: 2, escalateAfterHours: 3 });
    expect(await prisma.auditEntry.count({ where: { action: "category.routing_changed", targetId: String(category.id) } })).toBe(1);
    expect(await setRoutingDelays(admin, 99999999, { expertOfferHours: "2", escalateAfterHours: "3" })).toMatchObject({ kind: "not-found" });
  });
});
