import { handleEvent } from "~/modules/events/handlers.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { eventHandlers } from "~/modules/jobs/event-subscriptions.server.ts";
import { markHistoryRead } from "~/modules/notifications/mark-read.server.ts";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { addComment } from "~/modules/questions/add-comment.server.ts";
import { askQuestion } from "~/modules/questions/ask-question.server.ts";
import { editPost } from "~/modules/questions/edit-post.server.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { textToDoc } from "~/modules/content/rich-text.ts";
import { createAccount } from "~/modules/users/sign-up.server.ts";
import { castVote } from "~/modules/votes/cast-vote.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { DEMO_ACCOUNTS } from "./demo-accounts.ts";
import { seedDemoArticles } from "./demo-articles.server.ts";
import { DEMO_CATEGORIES, DEMO_MEMBERS, DEMO_THREADS } from "./demo-threads.ts";

function must<T>(result: { ok: true; value: T } | { ok: false }, what: string): T {
  if (!result.ok) throw new Error(`Demo seed: ${what} failed: ${JSON.stringify(result)}`);
  return result.value;
}

const doc = (text: string) => JSON.stringify(textToDoc(text));

/** Starting reputation of the demo members, enough to vote down, comment and create tags (thresholds.ts). */
const DEMO_REPUTATION = 200;

/**
 * The demo community has a history: its accounts date from a month ago and its members start with
 * DEMO_REPUTATION through a real ledger entry (a reputation.bonus_awarded event, handled now rather
 * than after commit so the use cases below see it), so the privilege thresholds and new-account
 * limits do not stop the seed and the ledger still explains every point.
 */
async function establishDemoMembers(userIds: string[]) {
  await prisma.user.updateMany({ where: { id: { in: userIds } }, data: { createdAt: new Date(Date.now() - 30 * 86_400_000) } });
  const members = await prisma.user.findMany({ where: { id: { in: userIds }, role: "member" }, select: { id: true } });
  for (const { id } of members) {
    const eventId = await prisma.$transaction((tx) =>
      recordEvent(tx, { type: "reputation.bonus_awarded", actorId: null, subjectType: "user", subjectId: id, payload: { userId: id, points: DEMO_REPUTATION - 1, reason: "Demo community history" } }),
    );
    await handleEvent(eventId, eventHandlers);
  }
}

/**
 * The demo's history is history: its events are handled now, as the worker would after the start
 * (their queued jobs then find them done), and the notices they raise are marked read. Members see
 * them in their lists, but no e-mail "at once" or digest goes out for a month of made-up activity,
 * to made-up addresses (ADR 041).
 */
async function settleDemoHistory() {
  let after = 0n;
  for (;;) {
    // Handlers record events of their own (badge.granted): go round until nothing is new.
    const events = await prisma.domainEvent.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, select: { id: true } });
    if (events.length === 0) break;
    for (const { id } of events) await handleEvent(id, eventHandlers);
    after = events.at(-1)!.id;
  }
  await markHistoryRead(new Date());
}

/**
 * Demo content for `npm start`: written once, on a database with no users, so a restart never
 * duplicates or overwrites anything. Everything goes through the same use cases as real users, so
 * counters, revisions and events are consistent. Returns false when the database had content.
 */
export async function seedDemo(): Promise<boolean> {
  if ((await prisma.user.count()) > 0) return false;
  const ids = new Map<string, string>();
  for (const account of DEMO_ACCOUNTS) {
    const { userId } = must(await createAccount(account, account.role, null), account.email);
    await prisma.user.update({ where: { id: userId }, data: { bio: account.bio } });
    ids.set(account.handle, userId);
  }
  for (const member of DEMO_MEMBERS) {
    const { userId } = must(await createAccount({ ...member, password: `demo-${member.handle}-pass` }, "member", null), member.email);
    ids.set(member.handle, userId);
  }
  await establishDemoMembers([...ids.values()]);
  const user = (handle: string) => {
    const id = ids.get(handle);
    if (!id) throw new Error(`Demo seed: unknown author ${handle}`);
    return id;
  };
  const categoryIds = new Map<string, number>();
  for (const [position, c] of DEMO_CATEGORIES.entries()) {
    const created = await prisma.category.create({ data: { ...c, position }, select: { id: true } });
    categoryIds.set(c.slug, created.id);
  }
  const threadIds = new Map<string, bigint>();
  for (const t of DEMO_THREADS) {
    const { threadId } = must(await askQuestion(user(t.author), { title: t.title, categoryId: categoryIds.get(t.category), tags: t.tags, body: doc(t.body) }), t.title);
    threadIds.set(t.title, threadId);
    const questionPostId = (await prisma.thread.findUniqueOrThrow({ where: { id: threadId }, select: { questionPostId: true } })).questionPostId!;
    for (const voter of t.upvotes ?? []) must(await castVote(user(voter), questionPostId, { value: 1 }), "vote");
    for (const c of t.comments ?? []) must(await addComment(user(c.author), questionPostId, { body: c.body }), "comment");
    if (t.edit) must(await editPost(user(t.author), questionPostId, { title: t.title, body: doc(t.edit.body), reason: t.edit.reason }), "edit");
    for (const a of t.answers ?? []) {
      const { answerId } = must(await postAnswer(user(a.author), threadId, { body: doc(a.body) }), "answer");
      for (const voter of a.upvotes ?? []) must(await castVote(user(voter), answerId, { value: 1 }), "answer vote");
      if (a.accepted) must(await acceptAnswer(user(t.author), threadId, answerId), "accept");
    }
  }
  await seedDemoArticles(user("sam-support"), (title) => threadIds.get(title)!, (slug) => categoryIds.get(slug)!);
  await settleDemoHistory();
  return true;
}
