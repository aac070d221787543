import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { recordArticleView } from "~/modules/kb/record-article-view.server.ts";
import { disconnectDb, prisma } from "~/utils/db.server.ts";
import { startQueryCounter, type QueryCounter } from "../../../tests/bench/lib/query-counter.ts";
import { makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { recordView } from "./record-view.server.ts";

/**
 * Issue 20: "journey recording adds no statement to a page view". The view POST is the only request of
 * a page view that writes; giving its row a view id for the time-on-page beacon (ADR 072) must not add
 * a statement to it. Counted on the wire by the benchmark's proxy (tests/bench/lib/query-counter.ts).
 */
let counter: QueryCounter;
beforeAll(async () => {
  counter = await startQueryCounter(process.env.DATABASE_URL!);
  process.env.DATABASE_URL = counter.url;
});
afterAll(async () => {
  await disconnectDb();
  await counter.close();
});

async function statementsOf(work: () => Promise<unknown>) {
  counter.reset();
  await work();
  const { statements, texts } = counter.snapshot();
  return { statements, texts: [...texts.keys()].filter((t) => !/^(BEGIN|COMMIT)\b/i.test(t)) };
}

describe("a page view's statements", () => {
  test("a counted thread view is its INSERT (which returns the view id), the counter and the event; a repeat view the INSERT and one read", async () => {
    const { threadId } = await makeQuestion((await makeUser()).id);
    const visitor = { userId: null, anonId: "anon-statements-0123456789" };
    const first = await statementsOf(() => recordView(threadId, visitor));
    expect(first.statements).toBe(3);
    expect(first.texts.filter((t) => /thread_views/.test(t))).toEqual([expect.stringMatching(/^INSERT INTO thread_views .* RETURNING view_id/)]);
    const repeat = await statementsOf(() => recordView(threadId, visitor));
    expect(repeat.statements).toBe(2);
    expect(repeat.texts).toEqual([expect.stringMatching(/^INSERT INTO thread_views/), expect.stringMatching(/^SELECT EXISTS/)]);
  });

  test("an article view likewise", async () => {
    const staff = await makeUser({ role: "staff" });
    const category = await makeCategory();
    const article = await prisma.article.create({
      data: { categoryId: category.id, slug: `a-${Date.now()}`, title: "Export", bodyJson: {}, bodyHtml: "<p>x</p>", bodyText: "x", status: "published", ownerId: staff.id, authorId: staff.id },
    });
    const visitor = { userId: null, anonId: "anon-statements-0123456789" };
    expect((await statementsOf(() => recordArticleView(article.id, visitor))).statements).toBe(3);
    expect((await statementsOf(() => recordArticleView(article.id, visitor))).statements).toBe(2);
  });
});
