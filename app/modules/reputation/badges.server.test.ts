import { describe, expect, test } from "vitest";
import { acceptAnswer, unacceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { drainEvents, makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { reconcileBadges } from "./badges.server.ts";

async function liveBadges(userId: string) {
  const rows = await prisma.userBadge.findMany({ where: { userId, revokedAt: null }, select: { badge: true, scopeKey: true }, orderBy: { id: "asc" } });
  return rows.map((r) => (r.scopeKey ? `${r.badge}@${r.scopeKey}` : r.badge));
}

describe("badges and expert status", () => {
  test("first question and first answer are granted once, however often the handlers and the backfill run", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    await makeQuestion(asker.id);
    await makeAnswer(helper.id, threadId);
    await makeAnswer(helper.id, threadId);
    await drainEvents();
    await prisma.$transaction((tx) => reconcileBadges(tx, null, null));
    expect(await liveBadges(asker.id)).toEqual(["first_question"]);
    expect(await liveBadges(helper.id)).toEqual(["first_answer"]);
    const granted = await prisma.domainEvent.count({ where: { type: "badge.granted", subjectId: helper.id } });
    expect(granted).toBe(1);
  });

  test("ten accepted answers with an average score of 1 in a category make a category expert; taking one back revokes it and keeps the history", async () => {
    const category = await makeCategory("Billing");
    const asker = await makeUser();
    const expert = await makeUser();
    const voter = await makeUser();
    const threads: { threadId: bigint; answer: bigint }[] = [];
    for (let i = 0; i < 10; i++) {
      const { threadId } = await makeQuestion(asker.id, { categoryId: category.id, title: `Invoice question number ${i} about exports` });
      const answer = await makeAnswer(expert.id, threadId);
      await castVote(voter.id, answer, { value: 1 });
      await acceptAnswer(asker.id, threadId, answer);
      threads.push({ threadId, answer });
    }
    await drainEvents();
    expect(await liveBadges(expert.id)).toEqual(expect.arrayContaining(["first_answer", "first_accepted", "accepted_bronze", `category_expert@category:${category.id}`]));
    expect((await prisma.user.findUniqueOrThrow({ where: { id: expert.id } })).expertCategoryIds).toEqual([category.id]);

    await unacceptAnswer(asker.id, threads[0]!.threadId);
    await drainEvents();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: expert.id } })).expertCategoryIds).toEqual([]);
    const history = await prisma.userBadge.findMany({ where: { userId: expert.id, badge: "category_expert" } });
    expect(history).toHaveLength(1);
    expect(history[0]!.revokedAt).not.toBeNull();
    // The bronze badge for 10 accepted answers stays: only expert status is revocable.
    expect(await liveBadges(expert.id)).toContain("accepted_bronze");
    expect(await prisma.domainEvent.count({ where: { type: "badge.revoked", subjectId: expert.id } })).toBe(1);

    await acceptAnswer(asker.id, threads[0]!.threadId, threads[0]!.answer);
    await drainEvents();
    const again = await prisma.userBadge.findMany({ where: { userId: expert.id, badge: "category_expert" }, orderBy: { id: "asc" } });
    expect(again.map((b) => b.revokedAt === null)).toEqual([false, true]);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: expert.id } })).expertCategoryIds).toEqual([category.id]);
  });

  test("a new answer that takes an expert's average in the category below 1 revokes expert status; one elsewhere does not", async () => {
    const category = await makeCategory("Exports");
    const other = await makeCategory("Imports");
    const asker = await makeUser();
    const expert = await makeUser();
    const voter = await makeUser();
    for (let i = 0; i < 10; i++) {
      const { threadId } = await makeQuestion(asker.id, { categoryId: category.id, title: `Export question number ${i} about files` });
      const answer = await makeAnswer(expert.id, threadId);
      await castVote(voter.id, answer, { value: 1 });
      await acceptAnswer(asker.id, threadId, answer);
    }
    await drainEvents();
    expect(await liveBadges(expert.id)).toContain(`category_expert@category:${category.id}`);

    // Average 10/10 = 1: an answer elsewhere leaves it alone.
    const elsewhere = await makeQuestion(asker.id, { categoryId: other.id, title: "Import question about spreadsheets" });
    await makeAnswer(expert.id, elsewhere.threadId);
    await drainEvents();
    expect(await liveBadges(expert.id)).toContain(`category_expert@category:${category.id}`);

    // An eleventh answer in the category, score 0: average 10/11 < 1.
    const more = await makeQuestion(asker.id, { categoryId: category.id, title: "Export question about scheduling" });
    await makeAnswer(expert.id, more.threadId);
    await drainEvents();
    expect(await liveBadges(expert.id)).not.toContain(`category_expert@category:${category.id}`);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: expert.id } })).expertCategoryIds).toEqual([]);
  });

  test("the database refuses a second live copy of a once-only badge", async () => {
    const member = await makeUser();
    await prisma.userBadge.create({ data: { userId: member.id, badge: "first_answer" } });
    await expect(prisma.userBadge.create({ data: { userId: member.id, badge: "first_answer" } })).rejects.toThrow();
  });

  test("an answer with a score of 10 earns Helpful once", async () => {
    const asker = await makeUser();
    const author = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(author.id, threadId);
    const voters = await Promise.all(Array.from({ length: 11 }, () => makeUser({ reputation: 10 })));
    for (const v of voters) await castVote(v.id, answer, { value: 1 });
    await drainEvents();
    expect(await liveBadges(author.id)).toContain(`helpful@post:${answer}`);
    expect(await prisma.userBadge.count({ where: { userId: author.id, badge: "helpful" } })).toBe(1);
  });
});
