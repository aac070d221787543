import { describe, expect, test } from "vitest";
import { acceptAnswer, unacceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { deletePost } from "~/modules/questions/moderate-post.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { drainEvents, giveReputation, makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { BackfillAlreadyRunning, backfillReputation, verifyReputation, type BackfillProgress } from "./maintenance.server.ts";
import { allowAppendOnlyRewrite } from "~/utils/append-only.server.ts";

function ok<T extends { ok: boolean }>(result: T): T {
  if (!result.ok) throw new Error(`use case refused: ${JSON.stringify(result)}`);
  return result;
}

/**
 * A small forum with a history that exercises every rule, each step followed by the live handlers (as
 * the job queue runs them after commit): up- and downvotes on questions and answers, a vote changed
 * and one withdrawn, a member pushed to the floor of 1 and back up, an accepted answer switched and
 * one withdrawn, an asker accepting their own answer, a deleted answer with votes, a helpful answer
 * (score 10) and a category expert (10 accepted answers, average score 1).
 */
async function buildHistory() {
  const step = async <T>(run: () => Promise<T>) => {
    const value = await run();
    await drainEvents();
    return value;
  };
  const billing = await makeCategory("Billing");
  const api = await makeCategory("API");
  const [asker, otherAsker, expert, answerer] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
  const nearFloor = await makeUser({ reputation: 10 });
  const voters: Awaited<ReturnType<typeof makeUser>>[] = [];
  for (let i = 0; i < 10; i++) voters.push(await makeUser({ reputation: 60 }));
  const moderator = await makeUser({ role: "moderator" });
  await drainEvents();

  // The expert: ten accepted answers in Billing, each voted up once.
  for (let i = 0; i < 10; i++) {
    const { threadId } = await step(() => makeQuestion(asker.id, { categoryId: billing.id, title: `How do I export invoice batch ${i} as CSV?` }));
    const answer = await step(() => makeAnswer(expert.id, threadId, `Open Billing, pick batch ${i}, then Export.`));
    await step(() => castVote(voters[i % voters.length]!.id, answer, { value: 1 }));
    await step(() => acceptAnswer(asker.id, threadId, answer));
  }

  // An API thread: a helpful answer (ten upvotes), a switched acceptance, a changed and a withdrawn vote.
  const api1 = await step(() => makeQuestion(otherAsker.id, { categoryId: api.id, title: "Why does the REST API return 403 for my key?" }));
  const helpful = await step(() => makeAnswer(answerer.id, api1.threadId, "The key needs the read scope: regenerate it with read checked."));
  const second = await step(() => makeAnswer(expert.id, api1.threadId, "Check that the key is not expired in Settings, API keys."));
  for (const v of voters) await step(() => castVote(v.id, helpful, { value: 1 }));
  await step(() => castVote(voters[0]!.id, api1.postId, { value: 1 }));
  await step(() => castVote(voters[1]!.id, api1.postId, { value: -1 }));
  await step(() => castVote(voters[2]!.id, second, { value: 1 }));
  await step(() => castVote(voters[2]!.id, second, { value: -1 }));
  await step(() => castVote(voters[3]!.id, second, { value: 1 }));
  await step(() => castVote(voters[3]!.id, second, { value: 0 }));
  await step(async () => ok(await acceptAnswer(otherAsker.id, api1.threadId, second)));
  await step(async () => ok(await acceptAnswer(otherAsker.id, api1.threadId, helpful)));

  // A member at 10 voted down to the floor (some downvotes apply 0), then up again, then down.
  const api2 = await step(() => makeQuestion(otherAsker.id, { categoryId: api.id, title: "Webhooks stop after an hour, what can I do?" }));
  const low = await step(() => makeAnswer(nearFloor.id, api2.threadId, "Restart the webhook worker every hour."));
  for (const v of voters.slice(0, 8)) await step(() => castVote(v.id, low, { value: -1 }));
  await step(() => castVote(voters[8]!.id, low, { value: 1 }));
  await step(() => castVote(voters[9]!.id, low, { value: -1 }));

  // The asker's own answer accepted (earns nothing), then withdrawn; an accepted answer withdrawn.
  const own = await step(() => makeAnswer(otherAsker.id, api2.threadId, "I solved it myself: the proxy closed idle connections."));
  await step(async () => ok(await acceptAnswer(otherAsker.id, api2.threadId, own)));
  await step(async () => ok(await unacceptAnswer(otherAsker.id, api2.threadId)));
  const api3 = await step(() => makeQuestion(asker.id, { categoryId: api.id, title: "Can I rotate API keys without downtime?" }));
  const rotated = await step(() => makeAnswer(answerer.id, api3.threadId, "Create the new key first, switch, then revoke the old one."));
  await step(async () => ok(await acceptAnswer(asker.id, api3.threadId, rotated)));
  await step(async () => ok(await unacceptAnswer(asker.id, api3.threadId)));

  // A deleted answer: the points of its votes are taken back.
  const doomed = await step(() => makeAnswer(answerer.id, api3.threadId, "Just delete every key and start over."));
  await step(() => castVote(voters[4]!.id, doomed, { value: 1 }));
  await step(() => castVote(voters[5]!.id, doomed, { value: -1 }));
  await step(async () => ok(await deletePost(moderator.id, doomed, { reason: "Destructive advice" })));

  return { members: [asker, otherAsker, expert, answerer, nearFloor, ...voters, moderator], billing, api, expert, nearFloor };
}

/** Everything reputation derives from the history, in a form two runs can be compared in. */
async function snapshot() {
  const members = await prisma.user.findMany({ select: { id: true, reputation: true, expertCategoryIds: true }, orderBy: { id: "asc" } });
  const ledgerSums = await prisma.$queryRaw<{ user_id: string; points: number }[]>`
    SELECT user_id, SUM(points)::int AS points FROM reputation_entries GROUP BY user_id ORDER BY user_id`;
  // What each source (a vote, an acceptance, a bonus) nets each member: a live history holds entries
  // and their reversals, a backfill only what the state calls for; the nets must be the same.
  const sourceNets = await prisma.$queryRaw<{ user_id: string; source_key: string; points: number }[]>`
    SELECT user_id, source_key, SUM(points)::int AS points FROM reputation_entries
    GROUP BY user_id, source_key HAVING SUM(points) <> 0 ORDER BY user_id, source_key`;
  // Leaderboards: the all-time rows exactly, and each kind of period (year, month, week) summed per
  // member and category (a handler dates its entries when it runs, the backfill at the vote, seconds
  // earlier: the same period, unless a run straddles midnight at the end of a week).
  const allTime = await prisma.$queryRaw<{ category_id: number; user_id: string; points: number; accepted: number }[]>`
    SELECT category_id, user_id, points, accepted FROM reputation_period_totals
    WHERE period = 'all' AND (points <> 0 OR accepted <> 0) ORDER BY category_id, user_id`;
  const periodKinds = await prisma.$queryRaw<{ kind: string; category_id: number; user_id: string; points: number; accepted: number }[]>`
    SELECT left(period, 1) AS kind, category_id, user_id, SUM(points)::int AS points, SUM(accepted)::int AS accepted
    FROM reputation_period_totals GROUP BY 1, 2, 3 HAVING SUM(points) <> 0 OR SUM(accepted) <> 0 ORDER BY 1, 2, 3`;
  const badges = await prisma.$queryRaw<{ user_id: string; badge: string; scope_key: string }[]>`
    SELECT user_id, badge, scope_key FROM user_badges WHERE revoked_at IS NULL ORDER BY user_id, badge, scope_key`;
  return { members, ledgerSums, sourceNets, allTime, periodKinds, badges };
}

/**
 * Takes the database back to "the rows, without what reputation derived from them": the ledger
 * keeps only its staff bonuses (history that no vote or acceptance can rebuild), the leaderboards,
 * badges and expert marks are emptied, and cached reputations are the starting 1 plus the bonuses.
 */
async function forgetDerivedReputation() {
  const bonuses = await prisma.reputationEntry.findMany({ where: { reason: "staff_bonus" } });
  // The ledger is append-only (ADR 039): this test-only reset goes through the maintenance hatch.
  await prisma.$transaction(async (tx) => {
    await allowAppendOnlyRewrite(tx, ["reputation_entries"]);
    await tx.$executeRaw`TRUNCATE reputation_entries, reputation_period_totals, user_badges`;
    await tx.reputationEntry.createMany({ data: bonuses });
  });
  await prisma.$executeRaw`
    UPDATE users u SET expert_category_ids = '{}',
      reputation = 1 + COALESCE((SELECT SUM(points) FROM reputation_entries r WHERE r.user_id = u.id), 0)`;
}

describe("reputation backfill", () => {
  test("from the same rows, the backfill gives every member the ledger sums, leaderboard totals, cached reputation, badges and expert marks the live handlers gave, in batches of members with progress", async () => {
    const world = await buildHistory();
    const live = await snapshot();
    // The history reached the floor and the expert status, so both are really compared.
    expect(live.members.find((m) => m.id === world.nearFloor.id)?.reputation).toBe(9);
    expect(live.members.find((m) => m.id === world.expert.id)?.expertCategoryIds).toEqual([world.billing.id]);
    expect(live.badges.some((b) => b.badge === "helpful")).toBe(true);

    await forgetDerivedReputation();
    const progress: BackfillProgress[] = [];
    const result = await backfillReputation({ batchMembers: 3, workers: 2, onProgress: (p) => void progress.push(p) });
    const rebuilt = await snapshot();

    expect(rebuilt.ledgerSums).toEqual(live.ledgerSums);
    expect(rebuilt.sourceNets).toEqual(live.sourceNets);
    expect(rebuilt.members).toEqual(live.members);
    expect(rebuilt.allTime).toEqual(live.allTime);
    expect(rebuilt.periodKinds).toEqual(live.periodKinds);
    expect(rebuilt.badges).toEqual(live.badges);

    // Staged once, then batches of 3 members, two at a time, each reported; one pass was enough.
    expect(result.entries).toBeGreaterThan(50);
    expect(result.passes).toBe(1);
    const [staged, ...batches] = progress;
    const members = await prisma.user.count();
    expect(staged).toMatchObject({ step: "staged", pass: 1, entries: result.entries, batches: Math.ceil(members / 3) });
    expect(batches.map((p) => (p.step === "batch" ? p.done : -1))).toEqual(Array.from({ length: Math.ceil(members / 3) + 1 }, (_, i) => i));
    expect(batches.at(-1)).toMatchObject({ step: "batch", entries: result.entries, entriesTotal: result.entries });
    // History gets negative event ids, and nothing is left of the staging table.
    expect(await prisma.reputationEntry.count({ where: { reason: { not: "staff_bonus" }, eventId: { gte: 0 } } })).toBe(0);
    expect(await prisma.$queryRaw<unknown[]>`SELECT 1 FROM pg_tables WHERE tablename = 'reputation_backfill_staging'`).toEqual([]);

    const verify = await verifyReputation();
    expect(verify).toEqual({ drift: [], rollupDrift: 0, ledgerBehindState: 0, badgesBehindRules: { granted: 0, revoked: 0 } });
  }, 120_000);

  test("a second run appends nothing and touches no row; a vote removed without its event is undone by one new reversal entry, never by changing or deleting one", async () => {
    const asker = await makeUser();
    const author = await makeUser({ reputation: 100 });
    const voters = [await makeUser(), await makeUser()];
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(author.id, threadId);
    for (const v of voters) await castVote(v.id, answer, { value: 1 });
    // No handler has run: the rows are as an import or the large seed leaves them.
    const first = await backfillReputation();
    expect(first.entries).toBeGreaterThanOrEqual(2);
    const ledgerRows = () => prisma.reputationEntry.findMany({ orderBy: { id: "asc" } });
    const rollupRows = () => prisma.$queryRaw<unknown[]>`SELECT * FROM reputation_period_totals ORDER BY period, category_id, user_id`;
    const [entriesBefore, rollupBefore] = [await ledgerRows(), await rollupRows()];

    expect(await backfillReputation()).toMatchObject({ entries: 0, cached: 0, granted: 0, revoked: 0 });
    expect(await ledgerRows()).toEqual(entriesBefore);
    expect(await rollupRows()).toEqual(rollupBefore);

    // A vote deleted in SQL (no vote.withdrawn event): verify sees it, the backfill appends a reversal.
    const upvote = entriesBefore.find((e) => e.sourceKey === `vote:${answer}:${voters[0]!.id}`)!;
    await prisma.vote.delete({ where: { postId_userId: { postId: answer, userId: voters[0]!.id } } });
    expect((await verifyReputation()).ledgerBehindState).toBe(1);
    expect((await backfillReputation()).entries).toBe(1);
    const after = await ledgerRows();
    expect(after.slice(0, entriesBefore.length)).toEqual(entriesBefore);
    expect(after.slice(entriesBefore.length).map((e) => ({ userId: e.userId, points: e.points, reason: e.reason, reversesId: e.reversesId }))).toEqual([
      { userId: author.id, points: -10, reason: `undo:${upvote.id}`, reversesId: upvote.id },
    ]);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: author.id } })).reputation).toBe(110);
    expect(await verifyReputation()).toEqual({ drift: [], rollupDrift: 0, ledgerBehindState: 0, badgesBehindRules: { granted: 0, revoked: 0 } });
  });
  test("a member whose ledger a handler changes after the staging read it is left for a second pass, and the result is as if nothing had raced", async () => {
    const asker = await makeUser();
    const author = await makeUser({ reputation: 100 });
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(author.id, threadId);
    const voters = [await makeUser(), await makeUser(), await makeUser()];
    for (const v of voters) await castVote(v.id, answer, { value: 1 });
    const progress: BackfillProgress[] = [];
    const result = await backfillReputation({
      batchMembers: 2,
      onProgress: async (p) => {
        progress.push(p);
        // Between the staging and the batches: a staff bonus handled for the author (a ledger entry the staging did not see).
        if (p.step === "staged" && p.pass === 1) await giveReputation(author.id, 7, "Raced the backfill");
      },
    });
    expect(result.passes).toBe(2);
    expect(progress.some((p) => p.step === "retry" && p.stale === 1)).toBe(true);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: author.id } })).reputation).toBe(100 + 7 + 3 * 10);
    const sources = await prisma.reputationEntry.groupBy({ by: ["sourceKey", "userId", "reason"], where: { postId: answer }, _count: true });
    expect(sources.map((g) => g._count)).toEqual([1, 1, 1]);
    expect(await verifyReputation()).toEqual({ drift: [], rollupDrift: 0, ledgerBehindState: 0, badgesBehindRules: { granted: 0, revoked: 0 } });
  });

  test("a second backfill started while one runs is refused, and the first one finishes", async () => {
    const author = await makeUser({ reputation: 50 });
    const { threadId } = await makeQuestion((await makeUser()).id);
    await castVote((await makeUser()).id, await makeAnswer(author.id, threadId), { value: 1 });
    let second: unknown;
    await backfillReputation({
      // The first one waits in its progress report (holding its lock) until the second has its answer:
      // left to run on, it could finish and unlock before the second even asked.
      onProgress: async (p) => {
        if (p.step === "staged" && second === undefined) second = await backfillReputation().catch((error: unknown) => error);
      },
    });
    expect(second).toBeInstanceOf(BackfillAlreadyRunning);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: author.id } })).reputation).toBe(60);
  });
});

