import crypto from "node:crypto";
import type { Role } from "~/modules/users/roles.ts";
import { getCurrentUser, startSession, type CurrentUser } from "~/modules/users/sessions.server.ts";
import { createAccount } from "~/modules/users/sign-up.server.ts";
import { prisma } from "~/utils/db.server.ts";

export const GOOD_PASSWORD = "correct horse battery staple";

let counter = 0;

/**
 * An account with a unique e-mail and handle; returns its id and sign-in details. By default it is
 * an established member: created two days ago with `reputation` 200 (enough to downvote, comment
 * everywhere and create tags, not to edit others' posts), earned through a real staff-bonus ledger
 * entry so the cached reputation still equals the ledger. `newAccount: true` gives a brand-new
 * account with the starting reputation of 1, as sign-up does.
 */
export async function makeUser(
  overrides: { role?: Role; email?: string; handle?: string; password?: string; displayName?: string; reputation?: number; newAccount?: boolean } = {},
) {
  counter += 1;
  const suffix = `${counter}${crypto.randomBytes(2).toString("hex")}`;
  const account = {
    email: overrides.email ?? `user${suffix}@example.com`,
    handle: overrides.handle ?? `user-${suffix}`,
    displayName: overrides.displayName ?? `User ${suffix}`,
    password: overrides.password ?? GOOD_PASSWORD,
  };
  const result = await createAccount(account, overrides.role ?? "member", null);
  if (!result.ok) throw new Error(`makeUser failed: ${JSON.stringify(result)}`);
  const id = result.value.userId;
  const reputation = overrides.reputation ?? (overrides.newAccount ? 1 : 200);
  if (!overrides.newAccount) {
    const { prisma } = await import("~/utils/db.server.ts");
    await prisma.user.update({ where: { id }, data: { createdAt: new Date(Date.now() - 48 * 3_600_000) } });
  }
  if (reputation !== 1) await giveReputation(id, reputation - 1);
  return { id, ...account };
}

/** Adds points to a member the way a staff bonus does: an event, then its ledger handler, run now. */
export async function giveReputation(userId: string, points: number, reason = "Test fixture") {
  const { prisma } = await import("~/utils/db.server.ts");
  const { recordEvent } = await import("~/modules/events/record-event.server.ts");
  const { handleEvent } = await import("~/modules/events/handlers.server.ts");
  const { eventHandlers } = await import("~/modules/jobs/event-subscriptions.server.ts");
  const eventId = await prisma.$transaction((tx) =>
    recordEvent(tx, { type: "reputation.bonus_awarded", actorId: null, subjectType: "user", subjectId: userId, payload: { userId, points, reason } }),
  );
  await handleEvent(eventId, eventHandlers);
}

/**
 * Runs the handlers of every event recorded since the last call, in order, as the job queue would
 * after commit (handleEvent is idempotent, so events already handled are skipped).
 */
export async function drainEvents(): Promise<number> {
  const { prisma } = await import("~/utils/db.server.ts");
  const { handleEvent } = await import("~/modules/events/handlers.server.ts");
  const { eventHandlers } = await import("~/modules/jobs/event-subscriptions.server.ts");
  let count = 0;
  for (;;) {
    // Handlers record events of their own (badge.granted), so go round until nothing is new.
    const events = await prisma.domainEvent.findMany({ where: { id: { gt: drained } }, orderBy: { id: "asc" }, select: { id: true, type: true } });
    if (events.length === 0) return count;
    for (const e of events) {
      await handleEvent(e.id, eventHandlers);
      drained = e.id;
      count += 1;
    }
  }
}
let drained = 0n;

/** Signs a user in the way the login route does, returning the cookie and the CurrentUser. */
export async function signInAs(userId: string): Promise<{ cookie: string; actor: CurrentUser }> {
  const setCookie = await startSession(userId, new Request("http://localhost/login", { method: "POST" }));
  const cookie = setCookie.split(";")[0]!;
  const actor = await getCurrentUser(new Request("http://localhost/", { headers: { Cookie: cookie } }));
  if (!actor) throw new Error("signInAs: session not found");
  return { cookie, actor };
}

export function randomIp(): string {
  const b = crypto.randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

/** A Tiptap document of one paragraph, as the editor posts it. */
export function docJson(text: string): string {
  return JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
}

let categoryCounter = 0;

export async function makeCategory(name = "General help") {
  const { prisma } = await import("~/utils/db.server.ts");
  categoryCounter += 1;
  return prisma.category.create({ data: { name, slug: `cat-${categoryCounter}-${crypto.randomBytes(2).toString("hex")}`, position: categoryCounter } });
}

/** A question with a valid body, asked by `authorId`. */
export async function makeQuestion(authorId: string, overrides: { title?: string; categoryId?: number; tags?: string[]; body?: string } = {}) {
  const { askQuestion } = await import("~/modules/questions/ask-question.server.ts");
  const categoryId = overrides.categoryId ?? (await makeCategory()).id;
  const result = await askQuestion(authorId, {
    title: overrides.title ?? "How do I export my invoices as CSV?",
    categoryId,
    tags: overrides.tags ?? ["billing"],
    body: docJson(overrides.body ?? "I looked in the billing settings but there is no export button anywhere."),
  });
  if (!result.ok) throw new Error(`makeQuestion failed: ${JSON.stringify(result)}`);
  const { questionPostId } = await prisma.thread.findUniqueOrThrow({ where: { id: result.value.threadId }, select: { questionPostId: true } });
  return { threadId: result.value.threadId, categoryId, postId: questionPostId! };
}

export async function makeAnswer(authorId: string, threadId: bigint, text = "Open Billing, then Invoices, then use the Export menu.") {
  const { postAnswer } = await import("~/modules/questions/post-answer.server.ts");
  const result = await postAnswer(authorId, threadId, { body: docJson(text) });
  if (!result.ok) throw new Error(`makeAnswer failed: ${JSON.stringify(result)}`);
  return result.value.answerId;
}
