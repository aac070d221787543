import { subscribe, type StoredEvent } from "~/modules/events/handlers.server.ts";
import type { Tx } from "~/utils/db.server.ts";
import { reconcileBadges } from "./badges.server.ts";
import { applyBonus, reconcileLedger, type HandlerScope } from "./ledger.server.ts";

const LEDGER_TYPES = ["vote.cast", "vote.withdrawn", "answer.accepted", "answer.unaccepted", "post.deleted", "thread.deleted", "thread.merged"] as const;
const BADGE_TYPES = [...LEDGER_TYPES, "question.asked", "answer.posted", "thread.moved"] as const;
type LedgerEvent = StoredEvent<(typeof LEDGER_TYPES)[number]>;
type BadgeEvent = StoredEvent<(typeof BADGE_TYPES)[number]>;

/** The posts of a deleted thread, or the one deleted post. */
async function deletedPosts(tx: Tx, event: StoredEvent<"post.deleted" | "thread.deleted">): Promise<bigint[]> {
  if (event.subjectType === "thread") {
    const rows = await tx.post.findMany({ where: { threadId: BigInt(event.subjectId) }, select: { id: true } });
    return rows.map((r) => r.id);
  }
  return [BigInt(event.subjectId)];
}

function ledgerScope(tx: Tx, event: LedgerEvent): Promise<HandlerScope | null> | HandlerScope | null {
  switch (event.type) {
    case "vote.cast":
    case "vote.withdrawn":
      return event.actorId ? { kind: "vote", postId: BigInt(event.subjectId), voterId: event.actorId } : null;
    case "answer.accepted":
    case "answer.unaccepted":
      return { kind: "accept", answerId: BigInt(event.subjectId) };
    case "post.deleted":
    case "thread.deleted":
      return deletedPosts(tx, event).then((postIds) => ({ kind: "posts", postIds }));
    case "thread.merged":
      // The moved answers: an acceptance that did not survive is reversed, a kept one credits the new asker (ADR 048).
      return { kind: "posts", postIds: event.payload.movedPostIds.map(BigInt) };
  }
}

/** Whose badges an event can change. */
async function badgeUsers(tx: Tx, event: BadgeEvent): Promise<string[]> {
  switch (event.type) {
    case "question.asked":
    case "answer.posted":
      return event.actorId ? [event.actorId] : [];
    case "vote.cast":
    case "vote.withdrawn":
    case "answer.accepted":
    case "answer.unaccepted":
    case "post.deleted": {
      const [post] = await tx.$queryRaw<{ author_id: string }[]>`SELECT author_id FROM posts WHERE id = ${BigInt(event.subjectId)}`;
      return post ? [post.author_id] : [];
    }
    case "thread.deleted":
    case "thread.moved": {
      const rows = await tx.post.findMany({ where: { threadId: BigInt(event.subjectId) }, select: { authorId: true }, distinct: ["authorId"] });
      return rows.map((r) => r.authorId);
    }
    case "thread.merged": {
      const ids = event.payload.movedPostIds.map(BigInt);
      const rows = await tx.$queryRaw<{ author_id: string }[]>`
        SELECT author_id FROM posts WHERE id = ANY(${ids.map(String)}::bigint[])
        UNION SELECT author_id FROM threads WHERE id IN (${BigInt(event.subjectId)}, ${BigInt(event.payload.targetId)})`;
      return rows.map((r) => r.author_id);
    }
  }
}

/**
 * True when the event cannot change any badge, so the rules (which read all of a member's posts) need
 * not run. Checked with an index lookup or two:
 * - a new question or answer has score 0 and is not accepted: it can only earn first_question /
 *   first_answer, and (an answer) lower its author's average in its category, which matters only to
 *   an expert there;
 * - accepting or un-accepting the asker's own answer: it never counts as accepted (ADR 018), and
 *   neither scores nor first_answer move with acceptance.
 */
async function badgesUnaffected(tx: Tx, event: BadgeEvent): Promise<boolean> {
  switch (event.type) {
    case "question.asked":
    case "answer.posted": {
      if (!event.actorId) return true;
      const badge = event.type === "question.asked" ? "first_question" : "first_answer";
      const threadId = event.type === "question.asked" ? event.subjectId : event.payload.threadId;
      const [row] = await tx.$queryRaw<{ settled: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM user_badges WHERE user_id = ${event.actorId} AND badge = ${badge} AND scope_key = '' AND revoked_at IS NULL)
          AND NOT EXISTS (
            SELECT 1 FROM user_badges b JOIN threads t ON t.category_id = b.category_id
            WHERE t.id = ${BigInt(threadId)} AND b.user_id = ${event.actorId} AND b.badge = 'category_expert' AND b.revoked_at IS NULL
          ) AS settled`;
      return row?.settled === true;
    }
    case "answer.accepted":
    case "answer.unaccepted": {
      const [row] = await tx.$queryRaw<{ own: boolean }[]>`
        SELECT a.author_id = t.author_id AS own FROM posts a JOIN threads t ON t.id = a.thread_id WHERE a.id = ${BigInt(event.subjectId)}`;
      return row?.own === true;
    }
    default:
      return false;
  }
}

/**
 * Event handlers of the reputation ledger and badges (run after commit by the job queue, in the
 * event's handler transaction, claimed in event_handlings: ADR 008). Both reconcile with the
 * current state, so a retry, a second run or events handled out of order change nothing more (ADR 017, 018).
 * The names are idempotency keys: never rename them.
 */
export const reputationHandlers = [
  subscribe({
    name: "reputation.ledger",
    summary: "appends the ledger entries the votes and acceptances now call for, and reverses the ones they no longer do (ADR 017)",
    types: LEDGER_TYPES,
    async handle(tx, event) {
      const scope = await ledgerScope(tx, event);
      if (scope) await reconcileLedger(tx, scope, event.id);
    },
  }),
  subscribe({
    name: "reputation.bonus",
    summary: "appends the bonus to the ledger",
    types: ["reputation.bonus_awarded"],
    async handle(tx, event) {
      await applyBonus(tx, event.id, event.payload.userId, event.payload.points, event.payload.reason);
    },
  }),
  subscribe({
    name: "reputation.badges",
    summary: "re-checks the badges of the members involved, granting and revoking (ADR 018)",
    types: BADGE_TYPES,
    async handle(tx, event) {
      if (await badgesUnaffected(tx, event)) return;
      const users = [...new Set(await badgeUsers(tx, event))].sort();
      await reconcileBadges(tx, users, event.id);
    },
  }),
];
