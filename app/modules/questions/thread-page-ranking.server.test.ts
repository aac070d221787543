import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { acceptAnswer } from "./accept-answer.server.ts";
import { getThreadPage } from "./questions-queries.server.ts";

// The thread page reads one page of answers in rank order from the index (ADR 084): these pin that order
// (accepted first, then score, then oldest) and every window against a ranking made here in plain code.
describe("a thread's answers by page", () => {
  test("every page, and the page of every answer, for a reader and a moderator, with ties, an accepted, a hidden and a deleted answer", async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const scores = [3, 0, 5, 3, -1, 0, 7, 3, 2];
    const answers: { id: bigint; score: number; hidden: boolean }[] = [];
    for (const score of scores) {
      const helper = await makeUser();
      const id = await makeAnswer(helper.id, threadId, `An answer that scores ${score}.`);
      await prisma.post.update({ where: { id }, data: { score } });
      answers.push({ id, score, hidden: false });
    }
    // The accepted answer scores low (rank 1 anyway); one answer is hidden (moderators see it), one deleted.
    const accepted = answers[4]!;
    expect((await acceptAnswer(asker.id, threadId, accepted.id)).ok).toBe(true);
    const hidden = answers[6]!;
    hidden.hidden = true;
    await prisma.post.update({ where: { id: hidden.id }, data: { hiddenAt: new Date() } });
    const deleted = answers[2]!;
    await prisma.post.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });

    for (const seeHidden of [false, true]) {
      const viewer = { id: asker.id, seeHidden };
      const expected = answers
        .filter((a) => a !== deleted && (seeHidden || !a.hidden))
        .sort((a, b) => Number(b === accepted) - Number(a === accepted) || b.score - a.score || (a.id < b.id ? -1 : 1))
        .map((a) => a.id);
      for (const perPage of [1, 3, 4, 100]) {
        const pages = Math.max(1, Math.ceil(expected.length / perPage));
        for (let page = 1; page <= pages + 1; page++) {
          const got = await getThreadPage(threadId, viewer, { page, perPage });
          const label = `seeHidden ${seeHidden}, ${perPage} a page, page ${page}`;
          expect(got!.question?.kind, label).toBe("question");
          expect(got!.answers.map((a) => a.id), label).toEqual(expected.slice((page - 1) * perPage, page * perPage));
          expect(got!.paging, label).toEqual({ page, pages, perPage, total: expected.length, firstRank: (page - 1) * perPage + 1 });
          expect(got!.publicAnswerCount, label).toBe(scores.length - 2);
        }
        for (const [rank, id] of expected.entries()) {
          const got = await getThreadPage(threadId, viewer, { page: 1, perPage, answerId: id });
          expect(got!.paging.page, `answer at rank ${rank + 1}, ${perPage} a page, seeHidden ${seeHidden}`).toBe(Math.floor(rank / perPage) + 1);
          expect(got!.answers.map((a) => a.id)).toContain(id);
        }
      }
      // An answer the viewer may not see, or of another thread, does not move the window: the requested page stays.
      const elsewhere = await makeQuestion(asker.id);
      const foreign = await makeAnswer((await makeUser()).id, elsewhere.threadId);
      for (const answerId of seeHidden ? [deleted.id, foreign] : [deleted.id, hidden.id, foreign]) {
        expect((await getThreadPage(threadId, viewer, { page: 2, perPage: 3, answerId }))!.paging.page).toBe(2);
      }
      // Without a window (the API), every answer in rank order.
      expect((await getThreadPage(threadId, viewer))!.answers.map((a) => a.id)).toEqual(expected);
    }
  });
});
