import { handleEvent, type HandlerTable } from "~/modules/events/handlers.server.ts";
import { eventHandlers } from "~/modules/jobs/event-subscriptions.server.ts";
import { markHistoryRead } from "~/modules/notifications/mark-read.server.ts";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { askQuestion } from "~/modules/questions/ask-question.server.ts";
import { editPost } from "~/modules/questions/edit-post.server.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { textToDoc } from "~/modules/content/rich-text.ts";
import { reconcileBadges } from "~/modules/reputation/badges.server.ts";
import { appendStagedEntries, resetCachedReputation, stageLedgerBackfill } from "~/modules/reputation/ledger.server.ts";
import { createAccount } from "~/modules/users/sign-up.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { allowAppendOnlyRewrite } from "~/utils/append-only.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { DEMO_ACCOUNTS } from "./demo-accounts.ts";
import { seedDemoArticles } from "./demo-articles.server.ts";
import { DEMO_HISTORY, HISTORY_MEMBERS } from "./demo-history.ts";
import { DEMO_CATEGORIES, DEMO_MEMBERS, DEMO_THREADS } from "./demo-threads.ts";

function must<T>(result: { ok: true; value: T } | { ok: false }, what: string): T {
  if (!result.ok) throw new Error(`Demo seed: ${what} failed: ${JSON.stringify(result)}`);
  return result.value;
}

const doc = (text: string) => JSON.stringify(textToDoc(text));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * When the demo's acts happened. The use cases date everything "now"; the seed moves the rows of
 * each thread to their acts' dates as soon as the thread is written (so the new-account limits,
 * which read post dates, see a history rather than a burst), in one statement per table, before any
 * handler has read them.
 */
class Dating {
  private posts: { id: bigint; at: Date }[] = [];
  private votes: { postId: bigint; userId: string; at: Date }[] = [];
  private resolved: { threadId: bigint; at: Date }[] = [];
  private comments: { postId: bigint; at: Date }[] = [];
  post(id: bigint, at: Date) {
    this.posts.push({ id, at });
  }
  vote(postId: bigint, userId: string, at: Date) {
    this.votes.push({ postId, userId, at });
  }
  accept(threadId: bigint, at: Date) {
    this.resolved.push({ threadId, at });
  }
  comment(postId: bigint, at: Date) {
    this.comments.push({ postId, at });
  }
  async flush() {
    const iso = (rows: { at: Date }[]) => rows.map((r) => r.at.toISOString());
    if (this.posts.length > 0) {
      await prisma.$executeRaw`UPDATE posts p SET created_at = d.at, updated_at = d.at
        FROM unnest(${this.posts.map((r) => String(r.id))}::bigint[], ${iso(this.posts)}::timestamptz[]) AS d(id, at) WHERE p.id = d.id`;
    }
    if (this.votes.length > 0) {
      await prisma.$executeRaw`UPDATE votes v SET created_at = d.at, updated_at = d.at
        FROM unnest(${this.votes.map((r) => String(r.postId))}::bigint[], ${this.votes.map((r) => r.userId)}::text[], ${iso(this.votes)}::timestamptz[]) AS d(post_id, user_id, at)
        WHERE v.post_id = d.post_id AND v.user_id = d.user_id`;
    }
    if (this.resolved.length > 0) {
      await prisma.$executeRaw`UPDATE threads t SET resolved_at = d.at
        FROM unnest(${this.resolved.map((r) => String(r.threadId))}::bigint[], ${iso(this.resolved)}::timestamptz[]) AS d(id, at) WHERE t.id = d.id`;
    }
    if (this.comments.length > 0) {
      await prisma.$executeRaw`UPDATE comments c SET created_at = d.at
        FROM unnest(${this.comments.map((r) => String(r.postId))}::bigint[], ${iso(this.comments)}::timestamptz[]) AS d(post_id, at) WHERE c.post_id = d.post_id`;
    }
    this.posts = [];
    this.votes = [];
    this.resolved = [];
    this.comments = [];
  }
}

/**
 * After the acts: each thread's dates follow its posts and acceptance (created, first answer, last
 * activity), a post's first revision its post, and each member's "last seen" their last act. The
 * revisions are append-only (ADR 039): this transaction may date the seed's own first revisions,
 * written minutes ago, and nothing else.
 */
async function settleDates() {
  await prisma.$transaction(async (tx) => {
    await allowAppendOnlyRewrite(tx, ["post_revisions"]);
    await tx.$executeRaw`UPDATE post_revisions r SET created_at = p.created_at FROM posts p WHERE p.id = r.post_id AND r.revision = 1`;
    await tx.$executeRaw`
      UPDATE threads t SET created_at = q.created_at, first_answer_at = a.first_at,
        last_activity_at = GREATEST(q.created_at, a.last_at, t.resolved_at, c.last_at)
      FROM posts q,
        LATERAL (SELECT MIN(created_at) AS first_at, MAX(created_at) AS last_at FROM posts WHERE thread_id = q.thread_id AND kind = 'answer') a,
        LATERAL (SELECT MAX(cm.created_at) AS last_at FROM comments cm JOIN posts p ON p.id = cm.post_id WHERE p.thread_id = q.thread_id) c
      WHERE q.id = t.question_post_id`;
    await tx.$executeRaw`
      UPDATE users u SET last_seen_at = x.at
      FROM (SELECT user_id, MAX(at) AS at FROM (
        SELECT author_id AS user_id, created_at AS at FROM posts UNION ALL SELECT user_id, updated_at FROM votes) acts GROUP BY user_id) x
      WHERE x.user_id = u.id`;
  });
}

/**
 * The demo's reputation, dated when it was earned: the backfill's own statements (ADR 040) append
 * the ledger entries the votes and acceptances call for (stageLedgerBackfill: the handlers' CTEs and
 * the points table), dated at each vote and acceptance, the cached reputations follow, and the badge
 * rules grant what the posts qualify for (reconcileBadges, the handlers' query; as a backfill it
 * records no badge events, so this history notifies no one of badges). The ledger and badge handlers
 * of the same events would reconcile with the same state and find nothing left to do (so
 * settleDemoHistory records them as done); `npm run reputation:verify` agrees.
 */
async function settleReputation() {
  await prisma.$transaction(async (tx) => {
    await stageLedgerBackfill(tx, "temporary");
    await appendStagedEntries(tx, { from: "", to: null });
    const users = await tx.user.findMany({ select: { id: true } });
    await resetCachedReputation(tx, users.map((u) => u.id));
    await reconcileBadges(tx, null, null);
  });
}

/**
 * Handlers whose work settleReputation has already done for every event of the seed (the ledger and
 * badge reconciliations find nothing left: `verifyReputation()` checks it), and the webhook fan-out,
 * which has nothing to do on a database that had no users, so no endpoints.
 */
const DONE_AT_SEED = ["reputation.ledger", "reputation.badges", "webhooks.fan_out"];

/**
 * The demo's history is history: its events are handled now, as the worker would after the start
 * (their queued jobs then find them done), and the notices they raise are marked read. Members see
 * them in their lists, but no e-mail "at once" or digest goes out for months of made-up activity,
 * to made-up addresses (ADR 041). The handlers in DONE_AT_SEED are recorded as done for these events
 * in one statement instead of running once per event (most of the seed's time otherwise).
 */
async function settleDemoHistory() {
  const noEndpoints = (await prisma.webhookEndpoint.count()) === 0;
  const done = new Set(DONE_AT_SEED.filter((name) => noEndpoints || name !== "webhooks.fan_out"));
  const seedHandlers: HandlerTable = Object.fromEntries(Object.entries(eventHandlers).map(([type, list]) => [type, list.filter((h) => !done.has(h.name))]));
  const doneAtSeed = Object.entries(eventHandlers).flatMap(([type, list]) => list.filter((h) => done.has(h.name)).map((h) => ({ type, name: h.name })));
  let after = 0n;
  for (;;) {
    const events = await prisma.domainEvent.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, select: { id: true } });
    if (events.length === 0) break;
    const last = events.at(-1)!.id;
    await prisma.$executeRaw`
      INSERT INTO event_handlings (handler, event_id)
      SELECT d.name, e.id FROM domain_events e JOIN unnest(${doneAtSeed.map((d) => d.type)}::text[], ${doneAtSeed.map((d) => d.name)}::text[]) AS d(type, name) ON d.type = e.type
      WHERE e.id > ${after} AND e.id <= ${last}
      ON CONFLICT DO NOTHING`;
    for (const { id } of events) await handleEvent(id, seedHandlers);
    after = last;
  }
  await markHistoryRead(new Date());
}

/**
 * Demo content for `npm start`: written once, on a database with no users, so a restart never
 * duplicates or overwrites anything. Everything goes through the same use cases as real users, so
 * counters, revisions and events are consistent, and is then dated: months of resolved questions
 * (demo-history.ts) and the last three days' threads (demo-threads.ts). Standing is earned: the
 * ledger holds what the votes and acceptances call for, and no bonus (issue 24). Returns false when
 * the database had content.
 */
export async function seedDemo(): Promise<boolean> {
  if ((await prisma.user.count()) > 0) return false;
  const now = Date.now();
  const ids = new Map<string, string>();
  // Password hashing is most of an account's cost: the accounts are made side by side.
  const accounts = [
    ...DEMO_ACCOUNTS.map((a) => ({ account: a, role: a.role })),
    ...[...DEMO_MEMBERS, ...HISTORY_MEMBERS].map((m) => ({ account: { ...m, password: `demo-${m.handle}-pass` }, role: "member" as const })),
  ];
  const created = await Promise.all(accounts.map(({ account, role }) => createAccount(account, role, null)));
  // The team opened the community ten months ago; the members joined in the weeks after.
  for (const [i, { account }] of accounts.entries()) {
    const { userId } = must(created[i]!, account.email);
    const bio = "bio" in account ? account.bio : undefined;
    await prisma.user.update({ where: { id: userId }, data: { createdAt: new Date(now - (300 - i * 12) * DAY), ...(bio ? { bio } : {}) } });
    ids.set(account.handle, userId);
  }
  const user = (handle: string) => {
    const id = ids.get(handle);
    if (!id) throw new Error(`Demo seed: unknown author ${handle}`);
    return id;
  };
  const categoryIds = new Map<string, number>();
  for (const [position, c] of DEMO_CATEGORIES.entries()) {
    const category = await prisma.category.create({ data: { ...c, position }, select: { id: true } });
    categoryIds.set(c.slug, category.id);
  }
  // The tag vocabulary the team set up with the categories (asking with a new tag needs the createTag
  // privilege, which members earn only as the history unfolds).
  const tags = [...new Set([...DEMO_HISTORY, ...DEMO_THREADS].flatMap((t) => t.tags))];
  await prisma.tag.createMany({ data: tags.map((name) => ({ name })), skipDuplicates: true });

  const dating = new Dating();
  const ask = async (author: string, t: { title: string; category: string; tags: string[]; body: string }, at: Date) => {
    const { threadId } = must(await askQuestion(user(author), { title: t.title, categoryId: categoryIds.get(t.category), tags: t.tags, body: doc(t.body) }), t.title);
    const { questionPostId } = await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { questionPostId: true } });
    dating.post(questionPostId!, at);
    return { threadId, questionPostId: questionPostId! };
  };
  const answer = async (author: string, threadId: bigint, body: string, at: Date) => {
    const { answerId, held } = must(await postAnswer(user(author), threadId, { body: doc(body) }), "answer");
    if (held) throw new Error(`Demo seed: answer held for review (${held})`);
    dating.post(answerId, at);
    return answerId;
  };
  const vote = async (voter: string, postId: bigint, at: Date) => {
    must(await castVote(user(voter), postId, { value: 1 }), "vote");
    dating.vote(postId, user(voter), at);
  };
  const accept = async (asker: string, threadId: bigint, answerId: bigint, at: Date) => {
    must(await acceptAnswer(user(asker), threadId, answerId), "accept");
    dating.accept(threadId, at);
  };

  // The past months, oldest first: every few days a question, answered within hours, voted up and
  // accepted the next day. The other voters take turns (anyone but the post's author).
  const handles = [...ids.keys()];
  const another = (turn: number, not: string[]) => {
    const pool = handles.filter((h) => !not.includes(h));
    return pool[turn % pool.length]!;
  };
  const span = DEMO_HISTORY.length - 1;
  for (const [i, h] of DEMO_HISTORY.entries()) {
    const askedAt = now - (160 - (i * 146) / span) * DAY + ((i * 7) % 10) * HOUR;
    const at = (hours: number) => new Date(askedAt + hours * HOUR);
    const { threadId, questionPostId } = await ask(h.asker, h, at(0));
    const answerId = await answer(h.accepted.author, threadId, h.accepted.body, at(2 + (i % 5)));
    if (i % 3 !== 2) await vote(another(i, [h.asker]), questionPostId, at(9));
    await vote(h.asker, answerId, at(20));
    if (i % 2 === 0) await vote(another(i + 5, [h.asker, h.accepted.author]), answerId, at(30));
    if (h.also) {
      const alsoId = await answer(h.also.author, threadId, h.also.body, at(8));
      await vote(h.asker, alsoId, at(21));
      await vote(another(i + 2, [h.asker, h.also.author]), alsoId, at(33));
    }
    await accept(h.asker, threadId, answerId, at(26));
    await dating.flush();
  }
  // The members now have the standing they earned (no new-account limits in what follows).
  await settleReputation();

  // The last three days: the threads a visitor sees first (unanswered, answered and resolved ones).
  // Early in a week they are squeezed into the hours since it began (Monday, UTC), so this week's
  // leaderboard is never empty.
  const today = new Date(now);
  const weekStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - ((today.getUTCDay() + 6) % 7));
  const windowStart = Math.max(now - 72 * HOUR, weekStart);
  const scale = (now - windowStart) / (72 * HOUR);
  const threadIds = new Map<string, bigint>();
  for (const [k, t] of DEMO_THREADS.entries()) {
    const at = (hours: number) => new Date(windowStart + (k * 8 + hours) * HOUR * scale);
    const { threadId, questionPostId } = await ask(t.author, t, at(0));
    threadIds.set(t.title, threadId);
    for (const [j, voter] of (t.upvotes ?? []).entries()) await vote(voter, questionPostId, at(1 + j));
    for (const c of t.comments ?? []) {
      must(await addComment(user(c.author), questionPostId, { body: c.body }), "comment");
      dating.comment(questionPostId, at(6));
    }
    if (t.edit) must(await editPost(user(t.author), questionPostId, { title: t.title, body: doc(t.edit.body), reason: t.edit.reason }), "edit");
    for (const [j, a] of (t.answers ?? []).entries()) {
      const answerId = await answer(a.author, threadId, a.body, at(2 + j));
      for (const [v, voter] of (a.upvotes ?? []).entries()) await vote(voter, answerId, at(3 + j + v / 2));
      if (a.accepted) await accept(t.author, threadId, answerId, at(5));
    }
    await dating.flush();
  }
  await seedDemoArticles(user("sam-support"), (title) => threadIds.get(title)!, (slug) => categoryIds.get(slug)!);
  await settleDates();
  await settleReputation();
  await settleDemoHistory();
  return true;
}
