import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { handleEvent } from "~/modules/events/handlers.server.ts";
import { eventHandlers } from "~/modules/jobs/event-subscriptions.server.ts";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { publishArticle } from "~/modules/kb/change-article-status.server.ts";
import { recordArticleView } from "~/modules/kb/record-article-view.server.ts";
import { acceptAnswer, unacceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { recordView } from "~/modules/questions/record-view.server.ts";
import { analyzeQuery } from "~/modules/search/analyze.ts";
import { logSearch } from "~/modules/search/log-search.server.ts";
import type { SearchEngine } from "~/modules/search/search-engine.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { rawDailyCells, storedDailyCells } from "./raw-metrics.server.ts";
import { addDays, journeyPurgedBefore, rebuildRollups, utcDay } from "./rollups.server.ts";
import { purgeOldJourneys } from "~/modules/support/purge-journeys.server.ts";

/**
 * The rollups are maintained by the event handlers; after any sequence of actions, handled in any
 * order and any number of times, they must equal the documented SQL over the raw tables.
 */
let users: string[] = [];
let categories: number[] = [];
let handled = 0n;

beforeAll(async () => {
  users = (await Promise.all([makeUser(), makeUser(), makeUser()])).map((u) => u.id);
  categories = [(await makeCategory("Billing")).id, (await makeCategory("Accounts")).id];
});

type Action =
  | { kind: "ask"; user: number; category: number }
  | { kind: "answer"; user: number; thread: number }
  | { kind: "accept"; thread: number; answer: number }
  | { kind: "unaccept"; thread: number }
  | { kind: "view"; thread: number; visitor: number }
  | { kind: "search"; visitor: number; results: number; opened: boolean; category: number | null }
  | { kind: "article-view"; category: number; visitor: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("ask" as const), user: fc.nat(2), category: fc.nat(1) }),
  fc.record({ kind: fc.constant("answer" as const), user: fc.nat(2), thread: fc.nat(20) }),
  fc.record({ kind: fc.constant("accept" as const), thread: fc.nat(20), answer: fc.nat(3) }),
  fc.record({ kind: fc.constant("unaccept" as const), thread: fc.nat(20) }),
  fc.record({ kind: fc.constant("view" as const), thread: fc.nat(20), visitor: fc.nat(4) }),
  fc.record({ kind: fc.constant("search" as const), visitor: fc.nat(4), results: fc.nat(2), opened: fc.boolean(), category: fc.option(fc.nat(1)) }),
  fc.record({ kind: fc.constant("article-view" as const), category: fc.nat(1), visitor: fc.nat(4) }),
);

const visitorKey = (i: number) => (i < users.length ? `u:${users[i]}` : `a:anonymous-visitor-${i}`);

async function perform(a: Action, threads: { id: bigint; author: string; answers: bigint[] }[]): Promise<void> {
  const pick = <T,>(list: T[], i: number) => (list.length ? list[i % list.length] : undefined);
  switch (a.kind) {
    case "ask": {
      const { threadId } = await makeQuestion(users[a.user]!, { categoryId: categories[a.category], title: `Question number ${threads.length} about invoices` });
      threads.push({ id: threadId, author: users[a.user]!, answers: [] });
      return;
    }
    case "answer": {
      const t = pick(threads, a.thread);
      if (t) t.answers.push(await makeAnswer(users[a.user]!, t.id));
      return;
    }
    case "accept": {
      const t = pick(threads, a.thread);
      const answer = t && pick(t.answers, a.answer);
      if (t && answer) expect((await acceptAnswer(t.author, t.id, answer)).ok).toBe(true);
      return;
    }
    case "unaccept": {
      const t = pick(threads, a.thread);
      if (t) expect((await unacceptAnswer(t.author, t.id)).ok).toBe(true);
      return;
    }
    case "view": {
      const t = pick(threads, a.thread);
      const key = visitorKey(a.visitor);
      if (t) await recordView(t.id, key.startsWith("u:") ? { userId: key.slice(2), anonId: null } : { userId: null, anonId: key.slice(2) });
      return;
    }
    case "search": {
      // Through the search log, as the beacon records it (the engine answers with the wanted count).
      const visitor = visitorKey(a.visitor);
      const engine = fixedCountEngine(a.results);
      const logged = await logSearch(
        { q: `invoice export ${a.results}`, from: "page", ...(a.category === null ? {} : { category: String(categories[a.category]) }), ...(a.opened ? { opened: "thread:1" } : {}) },
        visitor.startsWith("u:") ? { userId: visitor.slice(2), anonId: null } : { userId: null, anonId: visitor.slice(2) },
        engine,
      );
      expect(logged.ok).toBe(true);
      return;
    }
    case "article-view": {
      const visitor = visitorKey(a.visitor);
      const articleId = await articleOf(categories[a.category]!);
      const viewed = await recordArticleView(articleId, visitor.startsWith("u:") ? { userId: visitor.slice(2), anonId: null } : { userId: null, anonId: visitor.slice(2) });
      expect(viewed.ok).toBe(true);
      return;
    }
  }
}

/** A search engine that finds `count` results for anything. */
function fixedCountEngine(count: number): SearchEngine {
  const result = { status: "ok" as const, query: analyzeQuery("invoice"), hits: [], total: count, matchedAll: true };
  return { search: () => result, suggest: () => result } as unknown as SearchEngine;
}

/** The published article of a category, written (and published) through the use cases the first time. */
async function articleOf(categoryId: number): Promise<bigint> {
  const found = await prisma.article.findFirst({ where: { categoryId, status: "published" }, select: { id: true } });
  if (found) return found.id;
  const staff = await makeUser({ role: "staff" });
  const created = await createArticle(staff.id, { categoryId: String(categoryId), title: "How to export invoices", body: docJson("Open Billing, then Invoices, then Export."), tags: "billing" });
  if (!created.ok) throw new Error(`createArticle failed: ${JSON.stringify(created)}`);
  expect((await publishArticle(staff.id, created.value.articleId)).ok).toBe(true);
  return created.value.articleId;
}

/** Handles every event recorded since the last call, in the given order (a permutation seed). */
async function handleNewEvents(seed: number): Promise<bigint[]> {
  const events = await prisma.domainEvent.findMany({ where: { id: { gt: handled } }, select: { id: true }, orderBy: { id: "asc" } });
  const ids = events.map((e) => e.id);
  if (ids.length) handled = ids.at(-1)!;
  // A deterministic shuffle: the job queue gives no ordering guarantee between events.
  const order = [...ids].sort((a, b) => ((Number(a) * 7919 + seed) % 101) - ((Number(b) * 7919 + seed) % 101) || Number(a - b));
  for (const id of order) await handleEvent(id, eventHandlers);
  return ids;
}

function window() {
  const today = utcDay(new Date());
  return { from: addDays(today, -3), to: addDays(today, 1) };
}

describe("rollups maintained from domain events", () => {
  test("after a random sequence of actions, handled in any order, the rollups equal a recomputation from the raw tables", async () => {
    const threads: { id: bigint; author: string; answers: bigint[] }[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 25 }), fc.nat(100), async (actions, seed) => {
        for (const a of actions) await perform(a, threads);
        await handleNewEvents(seed);
        const { from, to } = window();
        expect(await storedDailyCells(from, to)).toEqual(await rawDailyCells(from, to));
      }),
      { numRuns: 12 },
    );
    const { from, to } = window();
    const cells = await storedDailyCells(from, to);
    // The sequences did produce data (an empty comparison would prove nothing).
    expect(cells.some((c) => c.metric === "asked")).toBe(true);
    expect(cells.some((c) => c.metric === "searches")).toBe(true);
    expect(cells.some((c) => c.metric === "article_views")).toBe(true);
  }, 120_000); // up to 300 actions through the use cases and their handlers

  test("handling every event again, or rebuilding any day range, changes nothing", async () => {
    const threads: { id: bigint; author: string; answers: bigint[] }[] = [];
    for (const a of [
      { kind: "ask", user: 0, category: 0 },
      { kind: "answer", user: 1, thread: 0 },
      { kind: "answer", user: 2, thread: 0 },
      { kind: "accept", thread: 0, answer: 0 },
      { kind: "view", thread: 0, visitor: 3 },
      { kind: "accept", thread: 0, answer: 1 },
      { kind: "unaccept", thread: 0 },
      { kind: "accept", thread: 0, answer: 0 },
      { kind: "search", visitor: 1, results: 0, opened: true, category: null },
    ] as Action[])
      await perform(a, threads);
    await handleNewEvents(1);
    const { from, to } = window();
    const before = await storedDailyCells(from, to);
    expect(before.find((c) => c.metric === "reopens")?.value).toBeGreaterThanOrEqual(2);

    const all = await prisma.domainEvent.findMany({ select: { id: true } });
    for (const { id } of all) await handleEvent(id, eventHandlers);
    await prisma.$executeRaw`DELETE FROM event_handlings`;
    for (const { id } of all.reverse()) await handleEvent(id, eventHandlers);
    expect(await storedDailyCells(from, to)).toEqual(before);

    // A damaged table is repaired by the rebuild command's function.
    await prisma.$executeRaw`UPDATE daily_rollups SET value = value + 40`;
    await prisma.$executeRaw`DELETE FROM question_stats`;
    await rebuildRollups(from, to, { chunkDays: 2 });
    expect(await storedDailyCells(from, to)).toEqual(before);
    expect(before).toEqual(await rawDailyCells(from, to));
  });
});

describe("the journey's retention and the rollups (ADR 079)", () => {
  test("after the purge, rebuilding the rollups keeps the view and search cells of the purged days instead of zeroing them", async () => {
    const now = new Date();
    const old = utcDay(new Date(now.getTime() - 100 * 24 * 3600_000));
    const member = await makeUser();
    const { threadId } = await makeQuestion(member.id);
    const answerId = await makeAnswer((await makeUser()).id, threadId);
    expect((await acceptAnswer(member.id, threadId, answerId)).ok).toBe(true);
    const at = new Date(`${old}T12:00:00Z`);
    await prisma.threadView.create({ data: { threadId, visitorKey: "v:old-visitor-0001", day: at, viewedAt: at } });
    await prisma.searchQuery.create({ data: { query: "vechi", resultCount: 0, source: "page", visitorKey: "v:old-visitor-0001", createdAt: at } });
    await rebuildRollups(old, old);
    const before = await storedDailyCells(old, old);
    expect(before.filter((c) => ["resolved_thread_views", "searches", "zero_result_searches"].includes(c.metric)).map((c) => [c.metric, c.value]).sort()).toEqual([
      ["resolved_thread_views", 1],
      ["searches", 1],
      ["zero_result_searches", 1],
    ]);
    expect(await journeyPurgedBefore()).toBeNull();
    await purgeOldJourneys(now);
    expect(await prisma.threadView.count({ where: { threadId } })).toBe(0);
    expect(await journeyPurgedBefore()).toBe(utcDay(new Date(now.getTime() - 90 * 24 * 3600_000)));
    await rebuildRollups(old, old);
    expect(await storedDailyCells(old, old)).toEqual(before);
  });
});
