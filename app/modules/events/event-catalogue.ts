import { z } from "zod";
import { SEARCH_SOURCES } from "~/modules/search/search.schema.ts";
import { ROLES } from "~/modules/users/roles.ts";

/**
 * The one catalogue of domain events (docs/decisions/008-domain-events.md, 038-typed-event-catalogue.md):
 * every type, named `<subject>.<past-tense verb>`, with what its subject is and a Zod schema of its
 * payload. `recordEvent` refuses an event whose payload does not match; handlers receive the payload
 * parsed by the same schema. Who records each type and who reacts to it is in the generated table of
 * docs/architecture.md ("What happens when …", `npm run docs:events`).
 *
 * Payloads are JSON: ids of threads, posts, comments, articles and events are decimal strings, user
 * ids are cuids, category ids are numbers. Objects are strict, so a field added by a producer must be
 * added here first.
 */

/** A bigint row id as a decimal string. */
const Id = z.string().regex(/^\d{1,19}$/).describe("id");
/** A user id (cuid). */
const UserId = z.string().min(1).max(64).describe("user id");
/** `u:<user id>` or `a:<anonymous visitor id>`. */
const VisitorKey = z.string().regex(/^[ua]:.{1,100}$/).describe("visitor key");
const Role = z.enum(ROLES);
const PostKind = z.enum(["question", "answer"]);
const ArticleStatus = z.enum(["draft", "published", "archived"]);
/** A search result: "thread:<id>" or "article:<id>". */
const DocKey = z.string().regex(/^(thread|article):\d{1,19}$/).describe("doc key");
const NoPayload = z.object({}).strict();

const Vote = z
  .object({ value: z.union([z.literal(-1), z.literal(0), z.literal(1)]), previous: z.union([z.literal(-1), z.literal(0), z.literal(1)]), authorId: UserId, kind: PostKind, threadId: Id })
  .strict();
const Moderated = z.object({ threadId: Id, kind: PostKind, authorId: UserId, reason: z.string().max(300) }).strict();
const ThreadModerated = z.object({ reason: z.string().max(300) }).strict();
const Badge = z
  .object({ badge: z.string().min(1), scopeKey: z.string(), categoryId: z.number().int().nullable(), postId: Id.nullable(), userBadgeId: Id, causedBy: Id })
  .strict();
const StatusChange = z.object({ from: ArticleStatus }).strict();
const Viewed = z.object({ visitor: VisitorKey }).strict();

type Entry = { subject: "user" | "category" | "thread" | "post" | "article" | "search" | "ticket"; summary: string; payload: z.ZodTypeAny };

function entry<S extends Entry["subject"], P extends z.ZodTypeAny>(subject: S, summary: string, payload: P) {
  return { subject, summary, payload };
}

export const EVENTS = {
  // Accounts (issue 3)
  "user.signed_up": entry("user", "an account was created (sign-up, or an admin creating one)", z.object({ role: Role }).strict()),
  "user.signed_in": entry("user", "a member signed in", NoPayload),
  "user.signed_out_everywhere": entry("user", "a member ended all their sessions", z.object({ ended: z.number().int().min(0) }).strict()),
  "user.password_changed": entry("user", "a member changed their password (their other sessions end)", z.object({ endedSessions: z.number().int().min(0) }).strict()),
  "user.password_reset_requested": entry("user", "a reset link was sent", NoPayload),
  "user.password_reset": entry("user", "a password was reset with a link", NoPayload),
  "user.role_changed": entry("user", "a member's role changed (an admin changed it, or a mapped single sign-on claim did)", z.object({ from: Role, to: Role }).strict()),
  "user.suspended": entry("user", "a member was suspended (their sessions end)", NoPayload),
  "user.reinstated": entry("user", "a suspended member was reinstated", NoPayload),
  "user.silenced": entry(
    "user",
    "a moderator made a member read-only (silence), until `until` or indefinitely; the member is told (ADR 068)",
    z.object({ until: z.string().datetime().nullable(), reason: z.string().max(300) }).strict(),
  ),
  "user.profile_updated": entry("user", "a member changed their display name or bio", NoPayload),
  "user.sso_linked": entry("user", "a member linked a single sign-on identity to their account after giving its password", NoPayload),
  "session.revoked": entry("user", "a member signed one of their browsers out", NoPayload),
  // Categories (issue 4)
  "category.created": entry(
    "category",
    "an admin created a category",
    z.object({ name: z.string(), slug: z.string(), description: z.string() }).strict(),
  ),
  "category.updated": entry(
    "category",
    "an admin renamed, moved, archived or restored a category",
    z.union([
      z.object({ name: z.string(), slug: z.string(), description: z.string() }).strict(),
      z.object({ moved: z.enum(["up", "down"]) }).strict(),
      z.object({ archived: z.boolean() }).strict(),
    ]),
  ),
  // Q&A (issue 4)
  "question.asked": entry("thread", "a member asked a question", z.object({ categoryId: z.number().int(), tags: z.array(z.string()) }).strict()),
  "answer.posted": entry("post", "a member answered", z.object({ threadId: Id }).strict()),
  "answer.accepted": entry("post", "an answer was accepted (replacing `previous`, if any)", z.object({ threadId: Id, previous: Id.nullable() }).strict()),
  "answer.unaccepted": entry(
    "post",
    "an answer lost its acceptance: replaced by another (`changed`), withdrawn, or its post deleted or hidden",
    z.object({ threadId: Id, reason: z.enum(["changed", "withdrawn", "deleted", "hidden"]), replacedBy: Id.optional() }).strict(),
  ),
  "vote.cast": entry("post", "a member voted a post up or down, or changed their vote", Vote),
  "vote.withdrawn": entry("post", "a member took their vote back (`value` 0)", Vote),
  "post.edited": entry("post", "a question or answer was edited (a revision appended)", z.object({ revision: z.number().int().min(1), threadId: Id }).strict()),
  "comment.added": entry("post", "a member commented on a post", z.object({ commentId: Id, threadId: Id }).strict()),
  "thread.viewed": entry("thread", "a visitor's first view of a thread that UTC day", Viewed),
  "post.hidden": entry("post", "a moderator hid a post", Moderated),
  "post.unhidden": entry("post", "a moderator showed a hidden post again", Moderated),
  "post.deleted": entry("post", "a post was deleted (soft)", Moderated),
  "thread.hidden": entry("thread", "its question post was hidden", ThreadModerated),
  "thread.deleted": entry("thread", "its question post was deleted", ThreadModerated),
  // Thread states (issue 19, ADR 048)
  "thread.closed": entry(
    "thread",
    "a moderator closed a thread, or enough members voted to (`duplicateOf` when closed as a duplicate)",
    z.object({ reason: z.enum(["duplicate", "off_topic", "too_broad", "resolved_elsewhere"]), duplicateOf: Id.nullable(), byVotes: z.boolean(), authorId: UserId }).strict(),
  ),
  "thread.reopened": entry("thread", "a closed thread was reopened", z.object({ byVotes: z.boolean(), authorId: UserId }).strict()),
  "thread.merged": entry(
    "thread",
    "a moderator merged the thread into `targetId`: its answers (`movedPostIds`) and comments moved there",
    z.object({ targetId: Id, movedPostIds: z.array(Id), authorId: UserId }).strict(),
  ),
  "thread.moved": entry("thread", "a moderator moved the thread to another category", z.object({ from: z.number().int(), to: z.number().int() }).strict()),
  "thread.unlisted": entry("thread", "a moderator unlisted the thread (reachable by link only)", NoPayload),
  "thread.listed": entry("thread", "a moderator listed an unlisted thread again", NoPayload),
  // Flags and the review queue (issue 19)
  "flags.decided": entry(
    "post",
    "a moderator agreed or disagreed with a post's pending flags, or approved a held post, on /review (`decidedAt` names the flags decided)",
    z.object({ threadId: Id, decision: z.enum(["agreed", "disagreed", "approved"]), outcome: z.enum(["hide", "delete", "show"]), decidedAt: z.string().datetime(), authorId: UserId }).strict(),
  ),
  // Reputation and badges (issue 6)
  "reputation.bonus_awarded": entry(
    "user",
    "staff awarded bonus points (also test fixtures)",
    z.object({ userId: UserId, points: z.number().int(), reason: z.string().min(1).max(200) }).strict(),
  ),
  "badge.granted": entry("user", "a badge was granted by the badge rules", Badge),
  "badge.revoked": entry("user", "a badge was revoked by the badge rules", Badge),
  // Search (issue 5)
  "search.performed": entry(
    "search",
    "a search was logged (search page, header or the ask form's suggestions); `opened` when it was logged with the result already opened",
    z.object({ source: z.enum(SEARCH_SOURCES), resultCount: z.number().int().min(0), categoryId: z.number().int().nullable(), opened: DocKey.nullable() }).strict(),
  ),
  "search.result_opened": entry("search", "a result was opened from a search logged earlier", z.object({ opened: DocKey }).strict()),
  // Knowledge base (issue 7)
  "article.created": entry("article", "a draft article was written, or promoted from threads", z.object({ categoryId: z.number().int(), promotedFrom: z.array(Id) }).strict()),
  "article.edited": entry("article", "an article was edited (a revision appended)", z.object({ revision: z.number().int().min(1) }).strict()),
  "article.published": entry("article", "an article was published", StatusChange),
  "article.archived": entry("article", "an article was archived", StatusChange),
  "article.owner_assigned": entry("article", "an article got a new owner", z.object({ from: UserId.nullable(), to: UserId }).strict()),
  "article.viewed": entry("article", "a visitor's first view of an article that UTC day", Viewed),
  "article.feedback_given": entry(
    "article",
    "a visitor answered or changed \"Was this helpful?\"",
    z.object({ visitor: VisitorKey, helpful: z.boolean(), previous: z.boolean().nullable(), hasComment: z.boolean() }).strict(),
  ),
  "thread.promoted": entry(
    "thread",
    "a thread became (part of) an article",
    z.object({ articleId: Id, resolved: z.boolean(), creditedUserId: UserId.nullable(), clusterSize: z.number().int().min(1) }).strict(),
  ),
  // Escalation, routing and verified resolution (issue 20)
  "ticket.created": entry(
    "ticket",
    "a customer asked for help (\"Still need help?\") or routing escalated an unanswered question",
    z.object({ source: z.enum(["thread", "article", "search", "ask", "routing"]), customerId: UserId, threadId: Id.nullable(), articleId: Id.nullable() }).strict(),
  ),
  "ticket.replied": entry("ticket", "staff replied to the customer (the customer is notified)", z.object({ messageId: Id, customerId: UserId }).strict()),
  "ticket.customer_replied": entry("ticket", "the customer replied on their ticket", z.object({ messageId: Id }).strict()),
  "ticket.updated": entry(
    "ticket",
    "staff took, assigned, re-prioritized or changed the status of a ticket, or solved it with an outcome",
    z.object({ change: z.enum(["assignee", "status", "priority", "outcome"]), from: z.string().nullable(), to: z.string().nullable() }).strict(),
  ),
  "ticket.reply_published": entry("ticket", "a staff reply was published into the public thread as a staff answer", z.object({ postId: Id, threadId: Id }).strict()),
  "question.offered_to_experts": entry(
    "thread",
    "routing offered an unanswered question to its category's experts (after the category's first delay)",
    z.object({ categoryId: z.number().int(), afterHours: z.number().int() }).strict(),
  ),
  "question.escalated": entry("thread", "routing turned a still unanswered question into a ticket (after the second delay)", z.object({ ticketId: Id, afterHours: z.number().int() }).strict()),
  "resolution.check_requested": entry("thread", "the asker was asked once \"Did this fix it?\" some days after accepting an answer", z.object({ answerId: Id, askerId: UserId }).strict()),
  "resolution.answered": entry("thread", "the asker answered \"Did this fix it?\" (yes: verified; no: shown unresolved)", z.object({ verdict: z.enum(["yes", "no"]) }).strict()),
} as const satisfies Record<string, Entry>;

export type EventCatalogue = typeof EVENTS;
export type EventType = keyof EventCatalogue;
export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];
/** What a producer passes (before parsing). */
export type EventPayloadInput<T extends EventType> = z.input<EventCatalogue[T]["payload"]>;
/** What a handler receives (parsed). */
export type EventPayload<T extends EventType> = z.output<EventCatalogue[T]["payload"]>;
export type EventSubject<T extends EventType> = EventCatalogue[T]["subject"];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENTS, type);
}
