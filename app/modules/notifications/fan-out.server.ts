import { Prisma } from "~/generated/prisma/client.ts";
import { MENTION_LINK_REGEX } from "~/modules/content/mentions.server.ts";
import type { StoredEvent } from "~/modules/events/handlers.server.ts";
import { THRESHOLDS } from "~/modules/reputation/thresholds.ts";
import type { Tx } from "~/utils/db.server.ts";
import { memberStatusSql } from "~/modules/users/member-status.server.ts";
import { getEnv } from "~/utils/env.server.ts";
import { DEFAULT_DELIVERY, NOTIFICATION_KINDS } from "./notification-kinds.ts";

/** What the fan-out statement needs of the event that caused it. */
type Cause = { id: bigint; actorId: string | null };

/**
 * The PostgreSQL channel every count change is announced on (live-counts.server.ts listens). The
 * trigger that announces ended sessions names it too (migration 20261206070432_session_end_signal).
 */
export const COUNT_CHANNEL = "threadwise_notifications";
/** Recipient ids per NOTIFY payload: 200 ids of 25 characters stay far below the 8,000-byte limit. */
const IDS_PER_SIGNAL = 200;

/** Kinds a member silences by muting a thread (acceptances and mentions still reach them). */
const MUTABLE_KINDS = ["answer_on_question", "comment_on_question", "comment_on_answer", "watched_thread"];

const visiblePost = (p: string, t: string) => Prisma.raw(`${p}.deleted_at IS NULL AND ${p}.hidden_at IS NULL AND ${t}.deleted_at IS NULL AND ${t}.hidden_at IS NULL`);

/** kind → setting group → delivery default, as SQL rows (from notification-kinds.ts, the one copy). */
export function kindDefaultsSql(): Prisma.Sql {
  const rows = Object.entries(NOTIFICATION_KINDS).map(([kind, group]) => Prisma.sql`(${kind}, ${group}, ${DEFAULT_DELIVERY[group]})`);
  return Prisma.sql`(VALUES ${Prisma.join(rows)}) AS kd(kind, grp, delivery)`;
}

/** SQL: one pg_notify per 200 recipient ids of `source` (a CTE with a recipient_id column). */
export function signalSql(source: string): Prisma.Sql {
  return Prisma.sql`SELECT pg_notify(${COUNT_CHANNEL}, string_agg(recipient_id, ',')) FROM (
    SELECT recipient_id, (row_number() OVER () - 1) / ${IDS_PER_SIGNAL} AS chunk FROM (SELECT DISTINCT recipient_id FROM ${Prisma.raw(source)}) d
  ) x GROUP BY chunk`;
}

/** SQL condition: member `u` may receive e-mail (their current address has not bounced). */
export const mailableSql = (u: string) =>
  Prisma.raw(`NOT EXISTS (SELECT 1 FROM mail_bounces b WHERE b.user_id = ${u}.id AND b.email = ${u}.email_normalized)`);

type FanOut = {
  /** CTEs before the candidates (`target`, the content, only when it is visible), without WITH. */
  ctes: Prisma.Sql;
  /**
   * SELECTs of (recipient_id, kind, prio, subject_key, thread_id, post_id, comment_id, data),
   * combined with UNION ALL. A lower prio wins when one member is reached several ways.
   */
  candidates: Prisma.Sql[];
  /** Content notices never go to the member who acted; achievements may (their own accept earned it). */
  excludeActor: boolean;
};

export type FanOutResult = { created: number; mailed: number };

/**
 * The one statement that notifies (ADR 041): candidates → one per (member, subject), the most direct
 * kind first → minus the actor, inactive members and muted threads → inserted once (the unique
 * (recipient, subject) key makes a second run insert nothing) → immediate e-mails enqueued for the
 * rows just inserted → the new counts announced with pg_notify, all in one round trip.
 */
async function fanOut(tx: Tx, event: Cause, spec: FanOut): Promise<FanOutResult> {
  const delay = getEnv().NOTIFICATION_MAIL_DELAY_SECONDS;
  const [row] = await tx.$queryRaw<{ created: number; mailed: number }[]>`
    WITH ${spec.ctes},
    cand (recipient_id, kind, prio, subject_key, thread_id, post_id, comment_id, data) AS (${Prisma.join(spec.candidates, " UNION ALL ")}),
    chosen AS (
      SELECT DISTINCT ON (c.recipient_id, c.subject_key) c.*
      FROM cand c JOIN users u ON u.id = c.recipient_id
      WHERE ${memberStatusSql("u")} <> 'suspended'
        AND (${!spec.excludeActor} OR c.recipient_id IS DISTINCT FROM ${event.actorId}::text)
        AND NOT (c.kind = ANY(${MUTABLE_KINDS}::text[]) AND EXISTS (
          SELECT 1 FROM watches m WHERE m.target_type = 'thread' AND m.target_id = c.thread_id AND m.user_id = c.recipient_id AND m.level = 'muted'))
      ORDER BY c.recipient_id, c.subject_key, c.prio
    ),
    ins AS (
      INSERT INTO notifications (recipient_id, kind, subject_key, event_id, actor_id, thread_id, post_id, comment_id, data)
      SELECT recipient_id, kind, subject_key, ${event.id}, ${spec.excludeActor ? event.actorId : null}::text, thread_id, post_id, comment_id, data FROM chosen
      ON CONFLICT (recipient_id, subject_key) DO NOTHING
      RETURNING id, recipient_id, kind
    ),
    mail AS (
      SELECT graphile_worker.add_job('send-notification-email', json_build_object('notificationId', ins.id::text),
        run_at => now() + make_interval(secs => ${delay}::int), max_attempts => 10, job_key => 'notification-email:' || ins.id)
      FROM ins JOIN ${kindDefaultsSql()} ON kd.kind = ins.kind
      JOIN users u ON u.id = ins.recipient_id
      LEFT JOIN notification_settings s ON s.user_id = ins.recipient_id AND s.kind = kd.grp
      WHERE COALESCE(s.delivery, kd.delivery) = 'immediate' AND ${mailableSql("u")}
    ),
    signal AS (${signalSql("ins")})
    SELECT (SELECT count(*) FROM ins)::int AS created, (SELECT count(*) FROM mail)::int AS mailed, (SELECT count(*) FROM signal)::int AS signals`;
  return { created: row?.created ?? 0, mailed: row?.mailed ?? 0 };
}

/** Mentioned members of a post, found by the links linkMentions() wrote into its HTML. */
const postMentions = (target: string, prio: number, subject: string) => Prisma.sql`
  SELECT mu.id, 'mention', ${prio}, ${Prisma.raw(subject)}, ${Prisma.raw(target)}.thread_id, ${Prisma.raw(target)}.post_id, NULL::bigint, '{}'::jsonb
  FROM ${Prisma.raw(target)}, regexp_matches(${Prisma.raw(target)}.body_html, ${MENTION_LINK_REGEX}, 'g') m JOIN users mu ON mu.handle = m[1]`;

const threadWatchers = (target: string, kind: string, prio: number, subject: string) => Prisma.sql`
  SELECT w.user_id, ${kind}, ${prio}, ${Prisma.raw(subject)}, ${Prisma.raw(target)}.thread_id, ${Prisma.raw(target)}.post_id, ${Prisma.raw(target)}.comment_id, '{}'::jsonb
  FROM ${Prisma.raw(target)} JOIN watches w ON w.target_type = 'thread' AND w.target_id = ${Prisma.raw(target)}.thread_id AND w.level = 'watching'`;

/** A new answer: the asker, the members it mentions, the thread's watchers; the answerer watches the thread. */
export function onAnswerPosted(tx: Tx, event: StoredEvent<"answer.posted">): Promise<FanOutResult> {
  const answerId = BigInt(event.subjectId);
  return fanOut(tx, event, {
    excludeActor: true,
    ctes: Prisma.sql`target AS (
        SELECT p.id AS post_id, p.thread_id, NULL::bigint AS comment_id, t.author_id AS asker_id, p.author_id, p.body_html
        FROM posts p JOIN threads t ON t.id = p.thread_id
        WHERE p.id = ${answerId} AND p.kind = 'answer' AND ${visiblePost("p", "t")}),
      auto_watch AS (
        INSERT INTO watches (user_id, target_type, target_id, reason)
        SELECT author_id, 'thread', thread_id, 'answered' FROM target ON CONFLICT DO NOTHING)`,
    candidates: [
      Prisma.sql`SELECT asker_id, 'answer_on_question', 1, 'post:' || post_id, thread_id, post_id, NULL::bigint, '{}'::jsonb FROM target`,
      postMentions("target", 2, "'post:' || target.post_id"),
      threadWatchers("target", "watched_thread", 3, "'post:' || target.post_id"),
    ],
  });
}

/** A new question: the members it mentions, the watchers of its tags and category; the asker watches it. */
export function onQuestionAsked(tx: Tx, event: StoredEvent<"question.asked">): Promise<FanOutResult> {
  const threadId = BigInt(event.subjectId);
  return fanOut(tx, event, {
    excludeActor: true,
    ctes: Prisma.sql`target AS (
        SELECT p.id AS post_id, t.id AS thread_id, NULL::bigint AS comment_id, t.category_id, t.author_id, p.body_html
        FROM threads t JOIN posts p ON p.id = t.question_post_id
        WHERE t.id = ${threadId} AND ${visiblePost("p", "t")}),
      auto_watch AS (
        INSERT INTO watches (user_id, target_type, target_id, reason)
        SELECT author_id, 'thread', thread_id, 'asked' FROM target ON CONFLICT DO NOTHING)`,
    candidates: [
      postMentions("target", 2, "'post:' || target.post_id"),
      Prisma.sql`SELECT w.user_id, 'watched_tag', 3, 'post:' || target.post_id, target.thread_id, target.post_id, NULL::bigint, jsonb_build_object('tag', g.name)
        FROM target JOIN thread_tags tt ON tt.thread_id = target.thread_id JOIN tags g ON g.id = tt.tag_id
        JOIN watches w ON w.target_type = 'tag' AND w.target_id = tt.tag_id AND w.level = 'watching'`,
      Prisma.sql`SELECT w.user_id, 'watched_category', 4, 'post:' || target.post_id, target.thread_id, target.post_id, NULL::bigint, jsonb_build_object('categoryId', target.category_id)
        FROM target JOIN watches w ON w.target_type = 'category' AND w.target_id = target.category_id AND w.level = 'watching'`,
    ],
  });
}

/** A new comment: the commented post's author, the members it mentions, the thread's watchers. */
export function onCommentAdded(tx: Tx, event: StoredEvent<"comment.added">): Promise<FanOutResult> {
  const commentId = BigInt(event.payload.commentId);
  return fanOut(tx, event, {
    excludeActor: true,
    ctes: Prisma.sql`target AS (
        SELECT c.id AS comment_id, c.post_id, c.thread_id, p.author_id AS post_author, p.kind::text AS post_kind, c.mentions
        FROM comments c JOIN posts p ON p.id = c.post_id JOIN threads t ON t.id = c.thread_id
        WHERE c.id = ${commentId} AND c.deleted_at IS NULL AND ${visiblePost("p", "t")})`,
    candidates: [
      Prisma.sql`SELECT post_author, CASE WHEN post_kind = 'question' THEN 'comment_on_question' ELSE 'comment_on_answer' END, 1,
          'comment:' || comment_id, thread_id, post_id, comment_id, '{}'::jsonb FROM target`,
      Prisma.sql`SELECT mu.id, 'mention', 2, 'comment:' || target.comment_id, target.thread_id, target.post_id, target.comment_id, '{}'::jsonb
        FROM target, unnest(target.mentions) AS h(handle) JOIN users mu ON mu.handle = h.handle`,
      threadWatchers("target", "watched_thread", 3, "'comment:' || target.comment_id"),
    ],
  });
}

/** An edit: members newly mentioned (anyone who already heard about this post hears nothing more). */
export function onPostEdited(tx: Tx, event: StoredEvent<"post.edited">): Promise<FanOutResult> {
  const postId = BigInt(event.subjectId);
  return fanOut(tx, event, {
    excludeActor: true,
    ctes: Prisma.sql`target AS (
        SELECT p.id AS post_id, p.thread_id, p.body_html FROM posts p JOIN threads t ON t.id = p.thread_id
        WHERE p.id = ${postId} AND ${visiblePost("p", "t")})`,
    candidates: [postMentions("target", 2, "'post:' || target.post_id")],
  });
}

/** Accepted or un-accepted: the answer's author (not when they accepted their own answer). */
export function onAcceptanceChanged(tx: Tx, event: StoredEvent<"answer.accepted" | "answer.unaccepted">): Promise<FanOutResult> {
  const answerId = BigInt(event.subjectId);
  const kind = event.type === "answer.accepted" ? "answer_accepted" : "answer_unaccepted";
  return fanOut(tx, event, {
    excludeActor: true,
    ctes: Prisma.sql`target AS (
        SELECT p.id AS post_id, p.thread_id, p.author_id FROM posts p JOIN threads t ON t.id = p.thread_id
        WHERE p.id = ${answerId} AND ${visiblePost("p", "t")})`,
    candidates: [Prisma.sql`SELECT author_id, ${kind}, 1, ${`event:${event.id}`}, thread_id, post_id, NULL::bigint, '{}'::jsonb FROM target`],
  });
}

/** A badge granted: its holder, while the badge is still held. */
export function onBadgeGranted(tx: Tx, event: StoredEvent<"badge.granted">): Promise<FanOutResult> {
  const { payload } = event;
  return fanOut(tx, event, {
    excludeActor: false,
    ctes: Prisma.sql`target AS (SELECT b.id, b.user_id FROM user_badges b WHERE b.id = ${BigInt(payload.userBadgeId)} AND b.revoked_at IS NULL)`,
    candidates: [
      Prisma.sql`SELECT user_id, 'badge_earned', 1, 'badge:' || id, NULL::bigint, NULL::bigint, NULL::bigint,
        jsonb_build_object('badge', ${payload.badge}::text, 'categoryId', ${payload.categoryId}::int) FROM target`,
    ],
  });
}

/**
 * Reputation moved (a vote, an acceptance, a bonus): each privilege whose threshold lies between a
 * member's reputation before this event's ledger entries and after them is announced, once ever
 * per privilege. Moderators, staff and admins hold every privilege already. The reputation handlers
 * run before this one for the same event (they are registered first), so the entries are there.
 */
export function onReputationChanged(
  tx: Tx,
  event: StoredEvent<"vote.cast" | "vote.withdrawn" | "answer.accepted" | "answer.unaccepted" | "reputation.bonus_awarded">,
): Promise<FanOutResult> {
  const thresholds = Object.entries(THRESHOLDS).map(([name, points]) => Prisma.sql`(${name}, ${points}::int)`);
  return fanOut(tx, event, {
    excludeActor: false,
    ctes: Prisma.sql`target AS (
        SELECT u.id AS user_id, u.reputation AS after, u.reputation - SUM(r.points)::int AS before
        FROM reputation_entries r JOIN users u ON u.id = r.user_id
        WHERE r.event_id = ${event.id} AND u.role = 'member'
        GROUP BY u.id, u.reputation)`,
    candidates: [
      Prisma.sql`SELECT target.user_id, 'privilege_reached', 1, 'privilege:' || p.name, NULL::bigint, NULL::bigint, NULL::bigint,
          jsonb_build_object('privilege', p.name, 'threshold', p.points)
        FROM target JOIN (VALUES ${Prisma.join(thresholds)}) AS p(name, points) ON target.before < p.points AND target.after >= p.points`,
    ],
  });
}

/**
 * Content hidden or deleted: its notices are withdrawn (not listed, counted or mailed); shown again:
 * restored when the content is visible again. Returns the number of notices changed.
 */
export async function onVisibilityChanged(
  tx: Tx,
  event: StoredEvent<"post.hidden" | "post.deleted" | "post.unhidden" | "thread.hidden" | "thread.deleted">,
): Promise<number> {
  const id = BigInt(event.subjectId);
  let changed: Prisma.Sql;
  if (event.type === "post.unhidden") {
    const threadId = BigInt(event.payload.threadId);
    changed = Prisma.sql`UPDATE notifications n SET withdrawn_at = NULL
      FROM threads t
      WHERE t.id = ${threadId} AND n.thread_id = t.id AND n.withdrawn_at IS NOT NULL
        AND (n.post_id = ${id} OR t.question_post_id = ${id})
        AND t.hidden_at IS NULL AND t.deleted_at IS NULL
        AND (n.post_id IS NULL OR EXISTS (SELECT 1 FROM posts p WHERE p.id = n.post_id AND p.hidden_at IS NULL AND p.deleted_at IS NULL))
        AND (n.comment_id IS NULL OR EXISTS (SELECT 1 FROM comments c WHERE c.id = n.comment_id AND c.deleted_at IS NULL))
      RETURNING n.recipient_id`;
  } else {
    const column = Prisma.raw(event.subjectType === "thread" ? "thread_id" : "post_id");
    changed = Prisma.sql`UPDATE notifications SET withdrawn_at = now() WHERE ${column} = ${id} AND withdrawn_at IS NULL RETURNING recipient_id`;
  }
  const [row] = await tx.$queryRaw<{ changed: number }[]>`
    WITH ch AS (${changed}), signal AS (${signalSql("ch")})
    SELECT (SELECT count(*) FROM ch)::int AS changed, (SELECT count(*) FROM signal)::int AS signals`;
  return row?.changed ?? 0;
}

/** Routing offered an unanswered question to its category's experts (issue 20): every current expert of the category but the asker. */
export function onOfferedToExperts(tx: Tx, event: StoredEvent<"question.offered_to_experts">): Promise<FanOutResult> {
  const threadId = BigInt(event.subjectId);
  return fanOut(tx, event, {
    excludeActor: true,
    ctes: Prisma.sql`target AS (
        SELECT t.id AS thread_id, p.id AS post_id, t.author_id, t.category_id FROM threads t JOIN posts p ON p.id = t.question_post_id
        WHERE t.id = ${threadId} AND t.answer_count = 0 AND ${visiblePost("p", "t")})`,
    candidates: [
      Prisma.sql`SELECT u.id, 'expert_offer', 1, ${`event:${event.id}`}, target.thread_id, target.post_id, NULL::bigint, jsonb_build_object('categoryId', target.category_id)
        FROM target JOIN users u ON target.category_id = ANY(u.expert_category_ids) AND u.id <> target.author_id`,
    ],
  });
}

/** A staff reply on a ticket: its customer (issue 20). The notice leads to /support/tickets/<id>. */
export function onTicketReplied(tx: Tx, event: StoredEvent<"ticket.replied">): Promise<FanOutResult> {
  return fanOut(tx, event, {
    excludeActor: true,
    ctes: Prisma.sql`target AS (
        SELECT s.id AS ticket_id, s.customer_id FROM support_tickets s JOIN ticket_messages m ON m.ticket_id = s.id
        WHERE s.id = ${BigInt(event.subjectId)} AND m.id = ${BigInt(event.payload.messageId)} AND m.kind = 'reply')`,
    candidates: [
      Prisma.sql`SELECT customer_id, 'ticket_reply', 1, ${`ticket-message:${event.payload.messageId}`}, NULL::bigint, NULL::bigint, NULL::bigint,
        jsonb_build_object('ticketId', ticket_id::text) FROM target`,
    ],
  });
}

/** "Did this fix it?" (issue 20): the asker of a thread whose answer is still accepted. */
export function onResolutionCheck(tx: Tx, event: StoredEvent<"resolution.check_requested">): Promise<FanOutResult> {
  const threadId = BigInt(event.subjectId);
  return fanOut(tx, event, {
    excludeActor: false,
    ctes: Prisma.sql`target AS (
        SELECT t.id AS thread_id, t.accepted_answer_id AS post_id, t.author_id FROM threads t
        WHERE t.id = ${threadId} AND t.accepted_answer_id IS NOT NULL AND t.deleted_at IS NULL AND t.hidden_at IS NULL)`,
    candidates: [Prisma.sql`SELECT author_id, 'resolution_check', 1, ${`event:${event.id}`}, thread_id, post_id, NULL::bigint, '{}'::jsonb FROM target`],
  });
}

/**
 * A review decision (issue 19, ADR 046): each member whose flag it decided hears whether moderators agreed
 * (their notice leads to /account/flags, and names no hidden post); the author hears that their post was
 * removed, or that their held post was approved (that one links to it, visible now).
 */
export function onFlagsDecided(tx: Tx, event: StoredEvent<"flags.decided">): Promise<FanOutResult> {
  const { payload } = event;
  const postId = BigInt(event.subjectId);
  const flagKind = payload.decision === "agreed" ? "flag_agreed" : "flag_disagreed";
  const candidates = [
    Prisma.sql`SELECT f.flagger_id, ${flagKind}, 1, 'flag:' || f.id, NULL::bigint, NULL::bigint, NULL::bigint, '{}'::jsonb
      FROM post_flags f WHERE f.post_id = ${postId} AND f.decided_at = ${new Date(payload.decidedAt)}`,
  ];
  if (payload.decision === "agreed") {
    candidates.push(Prisma.sql`SELECT ${payload.authorId}::text, 'post_removed', 1, ${`event:${event.id}`}, NULL::bigint, NULL::bigint, NULL::bigint, '{}'::jsonb`);
  } else if (payload.decision === "approved") {
    candidates.push(Prisma.sql`SELECT p.author_id, 'post_approved', 1, ${`event:${event.id}`}, p.thread_id, p.id, NULL::bigint, '{}'::jsonb
      FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = ${postId} AND ${visiblePost("p", "t")}`);
  }
  return fanOut(tx, event, { excludeActor: true, ctes: Prisma.sql`decision AS (SELECT 1)`, candidates });
}

/**
 * A thread's state changed (issue 19, ADR 068): its asker hears that it was closed (with the reason),
 * marked a duplicate, reopened, or merged into another thread (that notice leads to the target, where the
 * old address redirects too). Only while the thread they are led to is visible; not when the asker did it.
 */
export function onThreadStateChanged(tx: Tx, event: StoredEvent<"thread.closed" | "thread.reopened" | "thread.merged">): Promise<FanOutResult> {
  const { payload } = event;
  let kind: string;
  let threadId = BigInt(event.subjectId);
  let data = Prisma.sql`'{}'::jsonb`;
  if (event.type === "thread.closed") {
    kind = event.payload.reason === "duplicate" ? "thread_duplicate" : "thread_closed";
    data = Prisma.sql`jsonb_build_object('reason', ${event.payload.reason}::text, 'byVotes', ${event.payload.byVotes}::boolean)`;
  } else if (event.type === "thread.reopened") {
    kind = "thread_reopened";
  } else {
    kind = "thread_merged";
    threadId = BigInt(event.payload.targetId);
  }
  return fanOut(tx, event, {
    excludeActor: true,
    ctes: Prisma.sql`target AS (SELECT t.id AS thread_id FROM threads t WHERE t.id = ${threadId} AND t.deleted_at IS NULL AND t.hidden_at IS NULL)`,
    candidates: [Prisma.sql`SELECT ${payload.authorId}::text, ${kind}::text, 1, ${`event:${event.id}`}::text, thread_id, NULL::bigint, NULL::bigint, ${data} FROM target`],
  });
}

/**
 * A moderator hid or deleted a member's post outside the review queue (issue 19, ADR 068): its author
 * hears it, with the moderator's reason. The notice never points at the removed post: an answer's notice
 * names its thread (while that is visible), a question's names nothing. Not when the author did it
 * (deleting their own post), nor when members' flags hid it pending review (actor null: the review's
 * decision tells them), nor when a review decision did it in the same transaction (flags.decided already
 * says "removed after a review").
 */
export function onPostModerated(tx: Tx, event: StoredEvent<"post.hidden" | "post.deleted">): Promise<FanOutResult> {
  const { payload } = event;
  if (event.actorId === null) return Promise.resolve({ created: 0, mailed: 0 });
  const kind = event.type === "post.hidden" ? "post_hidden" : "post_deleted";
  return fanOut(tx, event, {
    excludeActor: true,
    ctes: Prisma.sql`target AS (
        SELECT CASE WHEN ${payload.kind}::text = 'answer' AND t.hidden_at IS NULL AND t.deleted_at IS NULL THEN t.id END AS thread_id
        FROM threads t WHERE t.id = ${BigInt(payload.threadId)}
          AND NOT EXISTS (SELECT 1 FROM domain_events e WHERE e.subject_type = 'post' AND e.subject_id = ${event.subjectId}
            AND e.type = 'flags.decided' AND e.occurred_at = ${event.occurredAt}))`,
    candidates: [
      Prisma.sql`SELECT ${payload.authorId}::text, ${kind}::text, 1, ${`event:${event.id}`}::text, thread_id, NULL::bigint, NULL::bigint,
        jsonb_build_object('postKind', ${payload.kind}::text, 'note', ${payload.reason}::text) FROM target`,
    ],
  });
}

/**
 * A moderator silenced a member (read-only, issue 19, ADR 068): the member, who stays signed in, hears
 * why and until when, so a refused post is no mystery. (A suspended member is told at sign-in instead:
 * the refusal shows the reason and the end, ADR 047; they have no session to read a notice with.)
 */
export function onSilenced(tx: Tx, event: StoredEvent<"user.silenced">): Promise<FanOutResult> {
  return fanOut(tx, event, {
    excludeActor: true,
    ctes: Prisma.sql`target AS (SELECT u.id FROM users u WHERE u.id = ${event.subjectId} AND u.silenced_at IS NOT NULL)`,
    candidates: [
      Prisma.sql`SELECT id, 'account_silenced'::text, 1, ${`event:${event.id}`}::text, NULL::bigint, NULL::bigint, NULL::bigint,
        jsonb_build_object('until', ${event.payload.until}::text, 'note', ${event.payload.reason}::text) FROM target`,
    ],
  });
}
