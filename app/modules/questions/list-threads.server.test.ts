import { describe, expect, test } from "vitest";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { listThreads, PAGE_SIZE } from "./questions-queries.server.ts";

describe("browsing questions", () => {
  test("filters (all, unanswered, unresolved, resolved, mine), tag, vote sort, and what each row shows", async () => {
    const category = await makeCategory("Browsing");
    const asker = await makeUser();
    const other = await makeUser();
    const voter = await makeUser();
    const open = await makeQuestion(asker.id, { categoryId: category.id, title: "Unanswered question about exports", tags: ["exports"] });
    const answered = await makeQuestion(other.id, { categoryId: category.id, title: "Answered question about invoices", tags: ["billing"] });
    const resolved = await makeQuestion(asker.id, { categoryId: category.id, title: "Resolved question about invoices", tags: ["billing"] });
    await makeAnswer(voter.id, answered.threadId);
    const accepted = await makeAnswer(voter.id, resolved.threadId);
    await acceptAnswer(asker.id, resolved.threadId, accepted);
    await castVote(voter.id, (await prisma.thread.findUniqueOrThrow({ where: { id: answered.threadId } })).questionPostId!, { value: 1 });

    const ids = async (filter: "all" | "unanswered" | "unresolved" | "resolved" | "mine", extra: { tagId?: number; sort?: "newest" | "active" | "votes" } = {}) =>
      (await listThreads({ filter, sort: extra.sort ?? "newest", categoryId: category.id, tagId: extra.tagId, viewerId: asker.id })).items.map((i) => BigInt(i.id));
    expect(await ids("all")).toEqual([resolved.threadId, answered.threadId, open.threadId]);
    expect(await ids("unanswered")).toEqual([open.threadId]);
    expect(await ids("unresolved")).toEqual([answered.threadId, open.threadId]);
    expect(await ids("resolved")).toEqual([resolved.threadId]);
    expect(await ids("mine")).toEqual([resolved.threadId, open.threadId]);
    expect((await ids("all", { sort: "votes" }))[0]).toBe(answered.threadId);
    const billing = await prisma.tag.findUniqueOrThrow({ where: { name: "billing" } });
    expect(await ids("all", { tagId: billing.id })).toEqual([resolved.threadId, answered.threadId]);

    const row = (await listThreads({ filter: "resolved", sort: "newest", categoryId: category.id })).items[0]!;
    expect(row).toMatchObject({ title: "Resolved question about invoices", answerCount: 1, score: 0, viewCount: 0, resolved: true, tags: ["billing"], category: { name: "Browsing" } });
    expect(row.author.handle).toBe(asker.handle);
    expect(Number.isNaN(Date.parse(row.createdAt))).toBe(false);
  });

  test("pages of 30 follow each other by cursor, newest first, without gaps or repeats", async () => {
    const category = await makeCategory("Paging");
    const asker = await makeUser();
    const made: bigint[] = [];
    for (let i = 0; i < PAGE_SIZE * 2 + 5; i++) made.push((await makeQuestion(asker.id, { categoryId: category.id, title: `Paging question number ${i} about exports` })).threadId);
    const seen: bigint[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const page = await listThreads({ filter: "all", sort: "newest", categoryId: category.id, cursor });
      sizes.push(page.items.length);
      seen.push(...page.items.map((i) => BigInt(i.id)));
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([PAGE_SIZE, PAGE_SIZE, 5]);
    expect(seen).toEqual([...made].reverse());
  });
});
