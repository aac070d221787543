import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { handleEvent } from "~/modules/events/handlers.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { acceptAnswer, unacceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { recordView } from "~/modules/questions/record-view.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { rawDailyCells, storedDailyCells } from "./raw-metrics.server.ts";
import { addDays, rebuildRollups, utcDay } from "./rollups.server.ts";

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
      // What the search capability records (its use case lives on another branch): the row and its event.
      await prisma.$transaction(async (tx) => {
        const row = await tx.searchQuery.create({
          data: { query: `invoice export ${a.results}`, resultCount: a.results, source: "page", visitorKey: visitorKey(a.visitor), categoryId: a.category === null ? null : categories[a.category], openedDoc: a.opened ? "thread:1" : null, openedAt: a.opened ? new Date() : null },
        });
        await recordEvent(tx, { type: "search.performed", actorId: null, subjectType: "search", subjectId: row.id.toString(), payload: {} });
      });
      return;
    }
    case "article-view": {
      await prisma.$transaction(async (tx) => {
        const article =
          (await tx.article.findFirst({ where: { categoryId: categories[a.category] } })) ??
          (await tx.article.create({ data: { categoryId: categories[a.category]!, slug: `article-${a.category}`, title: "How to export", bodyJson: {}, bodyHtml: "", bodyText: "", status: "published", ownerId: users[0]!, authorId: users[0]! } }));
        const inserted = await tx.$executeRaw`
          INSERT INTO article_views (article_id, visitor_key, day) VALUES (${article.id}, ${visitorKey(a.visitor)}, (now() AT TIME ZONE 'UTC')::date) ON CONFLICT DO NOTHING`;
        if (inserted) await recordEvent(tx, { type: "article.viewed", actorId: null, subjectType: "article", subjectId: article.id.toString(), payload: {} });
      });
      return;
    }
  }
}

/** Handles every event recorded since the last call, in the given order (a permutation seed). */
async function handleNewEvents(seed: number): Promise<bigint[]> {
  const events = await prisma.domainEvent.findMany({ where: { id: { gt: handled } }, select: { id: true }, orderBy: { id: "asc" } });
  const ids = events.map((e) => e.id);
  if (ids.length) handled = ids.at(-1)!;
  // A deterministic shuffle: the job queue gives no ordering guarantee between events.
  const order = [...ids].sort((a, b) => ((Number(a) * 7919 + seed) % 101) - ((Number(b) * 7919 + seed) % 101) || Number(a - b));
  for (const id of order) await handleEvent(id);
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
  });

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
    for (const { id } of all) await handleEvent(id);
    await prisma.$executeRaw`DELETE FROM event_handlings`;
    for (const { id } of all.reverse()) await handleEvent(id);
    expect(await storedDailyCells(from, to)).toEqual(before);

    // A damaged table is repaired by the rebuild command's function.
    await prisma.$executeRaw`UPDATE daily_rollups SET value = value + 40`;
    await prisma.$executeRaw`DELETE FROM question_stats`;
    await rebuildRollups(from, to, { chunkDays: 2 });
    expect(await storedDailyCells(from, to)).toEqual(before);
    expect(before).toEqual(await rawDailyCells(from, to));
  });
});
