import { describe, expect, test } from "vitest";
import { askQuestion } from "~/modules/questions/ask-question.server.ts";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { NEW_ACCOUNT, THRESHOLDS } from "./thresholds.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

async function backdatePosts(userId: string, seconds: number) {
  await prisma.$executeRaw`UPDATE posts SET created_at = created_at - make_interval(secs => ${seconds}) WHERE author_id = ${userId}`;
}

describe("privileges below their threshold are refused in the use case", () => {
  test("a downvote needs 50 reputation; an upvote does not", async () => {
    const asker = await makeUser();
    const low = await makeUser({ reputation: THRESHOLDS.downvote - 1 });
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(asker.id, threadId);
    expect(await castVote(low.id, answer, { value: -1 })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await castVote(low.id, answer, { value: 1 })).toMatchObject({ ok: true });
    const enough = await makeUser({ reputation: THRESHOLDS.downvote });
    expect(await castVote(enough.id, answer, { value: -1 })).toMatchObject({ ok: true });
  });

  test("commenting on someone else's thread needs 50 reputation; on your own thread it does not", async () => {
    const asker = await makeUser();
    const low = await makeUser({ reputation: 20 });
    const { threadId, postId } = await makeQuestion(asker.id);
    expect(await addComment(low.id, postId, { body: "Have you tried the CSV button?" })).toMatchObject({ ok: false, kind: "forbidden" });
    const own = await makeQuestion(low.id, { tags: ["billing"] });
    expect(await addComment(low.id, own.postId, { body: "Adding details: version 3.2" })).toMatchObject({ ok: true });
    expect(threadId).toBeDefined();
  });

  test("a new tag needs 150 reputation; existing tags are open to all", async () => {
    const established = await makeUser();
    const low = await makeUser({ reputation: THRESHOLDS.createTag - 1 });
    const category = await makeCategory();
    await makeQuestion(established.id, { categoryId: category.id, tags: ["billing"] });
    const input = { title: "Where do I change my billing address?", categoryId: category.id, body: docJson("The address on my invoices is my old office address."), tags: ["brand-new-tag"] };
    expect(inEnglish(await askQuestion(low.id, input))).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { tags: [expect.stringContaining("brand-new-tag")] } });
    expect(await askQuestion(low.id, { ...input, tags: ["billing"] })).toMatchObject({ ok: true });
  });
});

describe("new accounts are limited", () => {
  test("a brand-new account waits 60 seconds between posts and is told how long", async () => {
    const asker = await makeUser();
    const fresh = await makeUser({ newAccount: true });
    const { threadId } = await makeQuestion(asker.id);
    expect(await postAnswer(fresh.id, threadId, { body: docJson("First answer from a new member, with detail.") })).toMatchObject({ ok: true });
    const second = await postAnswer(fresh.id, threadId, { body: docJson("Second answer right away, also with detail.") });
    expect(inEnglish(second)).toMatchObject({ ok: false, kind: "rate-limited", message: expect.stringContaining("60 seconds") });
    expect(second.ok === false && second.kind === "rate-limited" && second.retryAfterSeconds).toBeGreaterThan(50);
    expect(await prisma.post.count({ where: { authorId: fresh.id } })).toBe(1);
  });

  test("at most 3 questions a day, then a 429 with the time until the oldest one leaves the window", async () => {
    const fresh = await makeUser({ newAccount: true });
    const category = await makeCategory();
    await makeQuestion((await makeUser()).id, { categoryId: category.id, tags: ["billing"] });
    for (let i = 0; i < NEW_ACCOUNT.questionsPerDay; i++) {
      await backdatePosts(fresh.id, 3600);
      const r = await askQuestion(fresh.id, { title: `Question number ${i} about billing exports`, categoryId: category.id, tags: ["billing"], body: docJson("Some details about the problem I have.") });
      expect(r.ok).toBe(true);
    }
    await backdatePosts(fresh.id, 3600);
    const refused = await askQuestion(fresh.id, { title: "One question too many about billing", categoryId: category.id, tags: ["billing"], body: docJson("Some details about the problem I have.") });
    expect(inEnglish(refused)).toMatchObject({ ok: false, kind: "rate-limited", message: expect.stringContaining("at most 3 questions a day") });
    // The oldest question is 3 hours old, so the wait is 21 hours.
    const wait = refused.ok === false && refused.kind === "rate-limited" ? refused.retryAfterSeconds : 0;
    expect(wait).toBeGreaterThan(20 * 3600);
    expect(wait).toBeLessThanOrEqual(21 * 3600);
  });

  test("at most 10 answers a day; an account over 24 hours old with 10 reputation is not limited", async () => {
    const asker = await makeUser();
    const fresh = await makeUser({ newAccount: true });
    const { threadId } = await makeQuestion(asker.id);
    for (let i = 0; i < NEW_ACCOUNT.answersPerDay; i++) {
      await backdatePosts(fresh.id, 120);
      expect((await postAnswer(fresh.id, threadId, { body: docJson(`Answer number ${i} with enough detail.`) })).ok).toBe(true);
    }
    await backdatePosts(fresh.id, 120);
    expect(inEnglish(await postAnswer(fresh.id, threadId, { body: docJson("One answer too many today, sorry.") }))).toMatchObject({ kind: "rate-limited", message: expect.stringContaining("10 answers a day") });

    const established = await makeUser({ reputation: NEW_ACCOUNT.minReputation });
    for (let i = 0; i < 12; i++) expect((await postAnswer(established.id, threadId, { body: docJson(`Quick answer ${i} with enough detail.`) })).ok).toBe(true);
  });

  test("two posts sent at once by a new account: one is refused", async () => {
    const asker = await makeUser();
    const fresh = await makeUser({ newAccount: true });
    const { threadId } = await makeQuestion(asker.id);
    const results = await Promise.all([1, 2, 3].map((i) => postAnswer(fresh.id, threadId, { body: docJson(`Concurrent answer ${i} with detail.`) })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.kind === "rate-limited")).toHaveLength(2);
  });
});
