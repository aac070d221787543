import { describe, expect, test } from "vitest";
import { getThreadPage } from "~/modules/questions/questions-queries.server.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { THRESHOLDS } from "~/modules/reputation/thresholds.ts";
import { suggestSimilar } from "~/modules/search/search-queries.server.ts";
import type { SearchEngine } from "~/modules/search/search-engine.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, drainEvents, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { closeThread, reopenThread } from "./close-thread.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

const auditRows = (threadId: bigint) =>
  prisma.auditEntry.findMany({ where: { targetType: "thread", targetId: threadId.toString() }, orderBy: { id: "asc" }, select: { action: true, actorId: true, reason: true, after: true } });

describe("closing and reopening", () => {
  test("a moderator closes with a reason: no new answers (409), comments still welcome, the reason is shown, one audit row and one event", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const helper = await makeUser();
    const { threadId, postId } = await makeQuestion(asker.id);
    expect(await closeThread(moderator.id, threadId, { reason: "too_broad", note: "Split it into one question per problem" })).toEqual({
      ok: true,
      value: { threadId, closed: true, votes: 0, needed: 3 },
    });
    expect(await postAnswer(helper.id, threadId, { body: docJson("Here is an answer that comes too late for this one.") })).toMatchObject({ ok: false, kind: "conflict" });
    expect((await addComment(helper.id, postId, { body: "Could you say which plan you are on?" })).ok).toBe(true);
    const page = await getThreadPage(threadId, null);
    expect(page?.thread.state).toMatchObject({ closedReason: "too_broad", duplicateOf: null });
    expect(page?.thread.state.closedAt).toBeInstanceOf(Date);
    expect(await auditRows(threadId)).toEqual([{ action: "thread.closed", actorId: moderator.id, reason: "Split it into one question per problem", after: expect.objectContaining({ closedReason: "too_broad" }) }]);
    expect(await prisma.domainEvent.count({ where: { type: "thread.closed", subjectId: threadId.toString() } })).toBe(1);

    expect((await reopenThread(moderator.id, threadId, {})).ok).toBe(true);
    expect((await postAnswer(helper.id, threadId, { body: docJson("Now the answer can be posted again, with steps.") })).ok).toBe(true);
    expect((await auditRows(threadId)).map((r) => r.action)).toEqual(["thread.closed", "thread.reopened"]);
  });

  test(`members below ${THRESHOLDS.voteToClose} reputation cannot vote; three members at the threshold close it with the reason most gave`, async () => {
    const asker = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const below = await makeUser({ reputation: THRESHOLDS.voteToClose - 1 });
    const voters = [await makeUser({ reputation: THRESHOLDS.voteToClose }), await makeUser({ reputation: 800 }), await makeUser({ reputation: 2000 })];

    expect(await closeThread(below.id, threadId, { reason: "off_topic" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await closeThread(voters[0]!.id, threadId, { reason: "off_topic" })).toEqual({ ok: true, value: { threadId, closed: false, votes: 1, needed: 3 } });
    // One vote per member per round.
    expect(await closeThread(voters[0]!.id, threadId, { reason: "too_broad" })).toMatchObject({ ok: false, kind: "conflict" });
    expect(await closeThread(voters[1]!.id, threadId, { reason: "too_broad" })).toEqual({ ok: true, value: { threadId, closed: false, votes: 2, needed: 3 } });
    expect(await auditRows(threadId)).toEqual([]);
    expect(await closeThread(voters[2]!.id, threadId, { reason: "off_topic" })).toEqual({ ok: true, value: { threadId, closed: true, votes: 3, needed: 3 } });

    const thread = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { closedReason: true, closeRound: true } });
    expect(thread).toEqual({ closedReason: "off_topic", closeRound: 1 });
    const [row] = await auditRows(threadId);
    expect(row).toMatchObject({ action: "thread.closed", actorId: voters[2]!.id, reason: "closed by 3 votes" });
    expect((row!.after as { voters: string[] }).voters.sort()).toEqual(voters.map((v) => v.id).sort());

    // A new round: the same members may vote again, this time to reopen; the third vote reopens.
    expect(await reopenThread(below.id, threadId)).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await reopenThread(voters[0]!.id, threadId)).toEqual({ ok: true, value: { threadId, closed: true, votes: 1, needed: 3 } });
    expect(await reopenThread(voters[0]!.id, threadId)).toMatchObject({ ok: false, kind: "conflict" });
    expect(await reopenThread(voters[1]!.id, threadId)).toMatchObject({ ok: true, value: { closed: true, votes: 2 } });
    expect(await reopenThread(voters[2]!.id, threadId)).toMatchObject({ ok: true, value: { closed: false, votes: 3 } });
    expect(await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { closedAt: true, closeRound: true } })).toEqual({ closedAt: null, closeRound: 2 });
  });

  test("refusals write no audit row: a member below the threshold, closing a closed thread, a bad reason", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId } = await makeQuestion(asker.id);
    expect(await closeThread(asker.id, threadId, { reason: "off_topic" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await closeThread(moderator.id, threadId, { reason: "because" })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { reason: [expect.any(String)] } });
    expect(await closeThread(moderator.id, threadId, { reason: "duplicate" })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { duplicateOf: [expect.any(String)] } });
    expect(await reopenThread(moderator.id, threadId)).toMatchObject({ ok: false, kind: "conflict" });
    expect(await auditRows(threadId)).toEqual([]);
    expect((await closeThread(moderator.id, threadId, { reason: "resolved_elsewhere" })).ok).toBe(true);
    expect(await closeThread(moderator.id, threadId, { reason: "off_topic" })).toMatchObject({ ok: false, kind: "conflict" });
    expect((await auditRows(threadId)).map((r) => r.action)).toEqual(["thread.closed"]);
  });
});

describe("marking a duplicate", () => {
  test("the duplicate names its original (followed through earlier duplicates) for the banner; itself is refused", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const original = await makeQuestion(asker.id, { title: "Two-factor codes are always rejected" });
    const middle = await makeQuestion(asker.id, { title: "My 2FA code is never accepted" });
    const late = await makeQuestion(asker.id, { title: "二步验证码总是被拒绝，怎么办？" });
    expect(inEnglish(await closeThread(moderator.id, middle.threadId, { reason: "duplicate", duplicateOf: String(middle.threadId) }))).toMatchObject({
      ok: false,
      kind: "invalid",
      fieldErrors: { duplicateOf: ["A question cannot be a duplicate of itself"] },
    });
    expect((await closeThread(moderator.id, middle.threadId, { reason: "duplicate", duplicateOf: `/questions/${original.threadId}/two-factor` })).ok).toBe(true);
    // Pointing at a duplicate points at its original.
    expect((await closeThread(moderator.id, late.threadId, { reason: "duplicate", duplicateOf: String(middle.threadId) })).ok).toBe(true);
    const page = await getThreadPage(late.threadId, null);
    const { slug } = await prisma.thread.findUniqueOrThrow({ where: { id: original.threadId }, select: { slug: true } });
    expect(page?.thread.state.duplicateOf).toEqual({ id: original.threadId.toString(), slug, title: "Two-factor codes are always rejected" });
    expect((await auditRows(late.threadId)).map((r) => r.action)).toEqual(["thread.marked_duplicate"]);
    // Reopening forgets the original.
    expect((await reopenThread(moderator.id, late.threadId)).ok).toBe(true);
    expect((await getThreadPage(late.threadId, null))?.thread.state.duplicateOf).toBeNull();
  });

  test("the similar-questions list and search point to the original first", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const original = await makeQuestion(asker.id, { title: "Printer queue stuck on the kiosk terminal" });
    const duplicate = await makeQuestion(asker.id, { title: "Kiosk printer queue is stuck again" });
    const unrelated = await makeQuestion(asker.id, { title: "Kiosk screen stays black after update" });
    expect((await closeThread(moderator.id, duplicate.threadId, { reason: "duplicate", duplicateOf: String(original.threadId) })).ok).toBe(true);
    await drainEvents();
    const key = (id: bigint) => `thread:${id}`;
    // An engine that ranks the duplicate first and does not return the original at all.
    const engine = {
      suggest: () => ({ status: "ok", query: { terms: [], languages: [] }, total: 2, matchedAll: false, hits: [{ docKey: key(duplicate.threadId), rank: 2 }, { docKey: key(unrelated.threadId), rank: 1 }] }),
    } as unknown as SearchEngine;
    const result = await suggestSimilar("kiosk printer queue stuck", engine);
    expect(result.status === "ok" && result.items.map((i) => i.docKey)).toEqual([key(original.threadId), key(duplicate.threadId), key(unrelated.threadId)]);
  });
});
