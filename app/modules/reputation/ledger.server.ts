import { Prisma } from "~/generated/prisma/client.ts";
import type { prisma, Tx } from "~/utils/db.server.ts";
import { POINTS } from "./points.ts";

/**
 * The reputation ledger (docs/decisions/017-reputation-ledger.md).
 *
 * Every entry stands for a *source*: one member's vote on one post ("vote:<post>:<voter>"), one
 * accepted answer ("accept:<answer>") or one staff bonus ("bonus:<event>"). Instead of applying the
 * event's delta, the handler *reconciles* the sources an event touched with the current state: it
 * computes the entries that the state calls for (the points table applied to the live votes and the
 * accepted answer), compares them with the live entries of those sources (not yet reversed), appends
 * the missing ones and a reversal ("undo:<id>", the negated applied points) for each one no longer
 * called for. Running it again, or running the handlers of two events out of order, changes nothing
 * more: the result depends on the state, not on how many times or in which order events are seen.
 * The backfill runs the same CTEs over every source, staged in a table and appended in batches of
 * members (stageLedgerBackfill, lockStagedMembers, appendStagedEntries; docs/decisions/040).
 *
 * The floor at 1: each new entry stores the points actually applied, clamped so the running
 * reputation never drops below 1 (a reflected running sum, computed with window functions), and a
 * reversal negates the applied points (clamped again). So reputation = 1 + the sum of the member's
 * entries always holds, with 1 the starting reputation of every account.
 */
export type HandlerScope =
  | { kind: "vote"; postId: bigint; voterId: string }
  | { kind: "accept"; answerId: bigint }
  /** Every vote and acceptance of these posts (a deletion). */
  | { kind: "posts"; postIds: bigint[] };

/** "all" is the backfill's: every vote and acceptance. */
export type LedgerScope = HandlerScope | { kind: "all" };

const RECONCILED = Prisma.sql`(e.source_key LIKE 'vote:%' OR e.source_key LIKE 'accept:%')`;

function filters(scope: LedgerScope) {
  switch (scope.kind) {
    case "vote":
      return {
        votes: Prisma.sql`v.post_id = ${scope.postId} AND v.user_id = ${scope.voterId}`,
        accepts: Prisma.sql`FALSE`,
        live: Prisma.sql`e.source_key = ${`vote:${scope.postId}:${scope.voterId}`}`,
      };
    case "accept":
      return {
        votes: Prisma.sql`FALSE`,
        accepts: Prisma.sql`t.accepted_answer_id = ${scope.answerId}`,
        live: Prisma.sql`e.source_key = ${`accept:${scope.answerId}`}`,
      };
    case "posts": {
      const ids = scope.postIds.map(String);
      return {
        votes: Prisma.sql`v.post_id = ANY(${ids}::bigint[])`,
        accepts: Prisma.sql`t.accepted_answer_id = ANY(${ids}::bigint[])`,
        live: Prisma.sql`e.post_id = ANY(${ids}::bigint[]) AND ${RECONCILED}`,
      };
    }
    case "all":
      return { votes: Prisma.sql`TRUE`, accepts: Prisma.sql`TRUE`, live: RECONCILED };
  }
}

/** The entries the current state calls for, and the live entries of the same sources, as CTEs. */
function desiredAndLive(scope: LedgerScope): Prisma.Sql {
  const f = filters(scope);
  return Prisma.sql`
    vote_rows AS (
      SELECT v.post_id, v.user_id AS voter_id, v.value, v.updated_at, p.author_id, p.kind::text AS kind, p.thread_id, t.category_id
      FROM votes v JOIN posts p ON p.id = v.post_id JOIN threads t ON t.id = p.thread_id
      WHERE ${f.votes} AND p.deleted_at IS NULL AND t.deleted_at IS NULL AND v.user_id <> p.author_id
    ),
    accept_rows AS (
      SELECT a.id AS answer_id, a.author_id AS answerer_id, t.author_id AS asker_id, t.id AS thread_id, t.category_id, COALESCE(t.resolved_at, now()) AS at
      FROM threads t JOIN posts a ON a.id = t.accepted_answer_id
      WHERE ${f.accepts} AND t.deleted_at IS NULL AND a.deleted_at IS NULL AND a.author_id <> t.author_id
    ),
    desired AS (
      SELECT 'vote:' || post_id || ':' || voter_id AS source_key, author_id AS user_id,
        CASE WHEN value = 1 AND kind = 'answer' THEN 'answer_upvoted' WHEN value = 1 THEN 'question_upvoted' ELSE 'post_downvoted' END AS reason,
        CASE WHEN value = 1 AND kind = 'answer' THEN ${POINTS.answer_upvoted}::int WHEN value = 1 THEN ${POINTS.question_upvoted}::int ELSE ${POINTS.post_downvoted}::int END AS points,
        post_id, thread_id, category_id, updated_at AS at
      FROM vote_rows
      UNION ALL
      SELECT 'vote:' || post_id || ':' || voter_id, voter_id, 'downvote_cast', ${POINTS.downvote_cast}::int, post_id, thread_id, category_id, updated_at
      FROM vote_rows WHERE value = -1 AND kind = 'answer'
      UNION ALL
      SELECT 'accept:' || answer_id, answerer_id, 'answer_accepted', ${POINTS.answer_accepted}::int, answer_id, thread_id, category_id, at FROM accept_rows
      UNION ALL
      SELECT 'accept:' || answer_id, asker_id, 'accepted_answer_chosen', ${POINTS.accepted_answer_chosen}::int, answer_id, thread_id, category_id, at FROM accept_rows
    ),
    live AS (
      SELECT e.id, e.source_key, e.user_id, e.reason, e.points, e.post_id, e.thread_id, e.category_id
      FROM reputation_entries e
      WHERE ${f.live} AND e.reverses_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM reputation_entries x WHERE x.reverses_id = e.id)
    )`;
}

type Db = Tx | typeof prisma;

/**
 * The members whose entries a scope can touch, as a SELECT on users (to lock them). A vote's source
 * only ever has entries for the post's author and the voter, an acceptance's for the answerer and the
 * asker, so those are named directly (a statement that is cheap to plan); a deletion's are found
 * through the desired and live entries.
 */
function membersOf(scope: HandlerScope, ctes: Prisma.Sql): Prisma.Sql {
  switch (scope.kind) {
    case "vote":
      return Prisma.sql`SELECT id FROM users WHERE id IN (SELECT author_id FROM posts WHERE id = ${scope.postId} UNION SELECT ${scope.voterId}::text)`;
    case "accept":
      return Prisma.sql`SELECT id FROM users WHERE id IN (
        SELECT a.author_id FROM posts a WHERE a.id = ${scope.answerId}
        UNION SELECT t.author_id FROM posts a JOIN threads t ON t.id = a.thread_id WHERE a.id = ${scope.answerId})`;
    default:
      return Prisma.sql`WITH ${ctes} SELECT id FROM users WHERE id IN (SELECT user_id FROM desired UNION SELECT user_id FROM live)`;
  }
}

/**
 * From `desired` and `live`, the changes the ledger needs (the entries the state calls for that are
 * missing, and a reversal of each live entry it no longer calls for), with the points each applies
 * after the floor at 1, as CTEs ending in `applied` (one row per change, `rn` its order for its member).
 * `start` selects (user_id, s0): each member's reputation before the changes; `at` dates a new entry.
 * The floor is the reflected running sum of ADR 017 in two window passes: with u_k = s0 + the raw
 * points up to change k and m_k = max(0, max over j ≤ k of 1 − u_j), change k applies
 * raw_k + m_k − m_(k−1). Text keys sort with the "C" collation (bytewise, so the sort can use
 * abbreviated keys); the ids and reasons are ASCII, where that is the database's order anyway.
 */
function clampedChanges(start: Prisma.Sql, at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    changes AS (
      SELECT d.user_id, d.reason, d.points AS raw, d.post_id, d.thread_id, d.category_id, d.source_key,
             NULL::bigint AS reverses_id, ${at} AS at, 1 AS ord
      FROM desired d
      WHERE NOT EXISTS (SELECT 1 FROM live l WHERE l.source_key = d.source_key AND l.user_id = d.user_id AND l.reason = d.reason)
      UNION ALL
      SELECT l.user_id, 'undo:' || l.id, -l.points, l.post_id, l.thread_id, l.category_id, l.source_key, l.id, now(), 0
      FROM live l
      WHERE NOT EXISTS (SELECT 1 FROM desired d WHERE d.source_key = l.source_key AND d.user_id = l.user_id AND d.reason = l.reason)
    ),
    start AS (${start}),
    seq AS (
      SELECT c.*, s.s0, row_number() OVER w AS rn, s.s0 + SUM(c.raw) OVER w AS unclamped
      FROM changes c JOIN start s USING (user_id)
      WINDOW w AS (PARTITION BY c.user_id COLLATE "C" ORDER BY c.at, c.ord, c.source_key COLLATE "C", c.reason COLLATE "C" ROWS UNBOUNDED PRECEDING)
    ),
    applied AS (
      SELECT seq.*, (raw + GREATEST(0, MAX(1 - unclamped) OVER upto) - GREATEST(0, COALESCE(MAX(1 - unclamped) OVER before, 0)))::int AS pts
      FROM seq
      WINDOW upto AS (PARTITION BY user_id COLLATE "C" ORDER BY rn ROWS UNBOUNDED PRECEDING),
        before AS (PARTITION BY user_id COLLATE "C" ORDER BY rn ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    )`;
}

/**
 * Brings the ledger of an event's sources in line with the current state (a handler). The members
 * concerned are locked first, so concurrent handlers touching one member apply one after the other,
 * and their cached reputation moves by the applied points in the same statement. Returns the number
 * of members updated. The backfill runs the same CTEs over every source (stageLedgerBackfill).
 */
export async function reconcileLedger(db: Db, scope: HandlerScope, eventId: bigint): Promise<number> {
  const ctes = desiredAndLive(scope);
  // The members concerned, locked in the same statement that finds them.
  const users = await db.$queryRaw<{ id: string }[]>`${membersOf(scope, ctes)} ORDER BY id FOR NO KEY UPDATE`;
  if (users.length === 0) return 0;
  const locked = users.map((u) => u.id);
  // The members are the few just locked: naming them lets the planner use the primary key.
  const start = Prisma.sql`SELECT u.id AS user_id, u.reputation::bigint AS s0 FROM users u WHERE u.id = ANY(${locked}::text[]) AND u.id IN (SELECT user_id FROM changes)`;
  const rows = await db.$queryRaw<unknown[]>`
    WITH ${ctes}, ${clampedChanges(start, Prisma.sql`now()`)},
    ins AS (
      INSERT INTO reputation_entries (user_id, points, reason, event_id, post_id, thread_id, category_id, reverses_id, source_key, created_at)
      SELECT user_id, pts, reason, ${eventId}::bigint, post_id, thread_id, category_id, reverses_id, source_key, at
      FROM applied ORDER BY user_id, rn
      RETURNING user_id, points
    )
    UPDATE users u SET reputation = u.reputation + d.delta
    FROM (SELECT user_id, SUM(points)::int AS delta FROM ins GROUP BY user_id) d
    WHERE u.id = d.user_id RETURNING 1`;
  return rows.length;
}

/** The backfill's staging table: unlogged, so its worker connections can read it, and dropped after the run. */
export const BACKFILL_STAGING = "reputation_backfill_staging";
const STAGING = Prisma.raw(BACKFILL_STAGING);

/**
 * The backfill's first step (`npm run reputation:backfill`, docs/decisions/040): the changes every
 * source needs (the handlers' CTEs with scope "all"), with their applied points, numbered 1…n in
 * the order they are appended (by member, then by date, so the floor is applied in the order things
 * happened). Each member starts from 1 + their current ledger sum; a new entry is dated at its
 * source (the vote's updated_at, the thread's resolved_at), a reversal now. Each row also carries
 * how many ledger entries its member had when this was read (`ledger_count`): the ledger only
 * grows, so a different count later means a handler appended for that member meanwhile.
 * `into` "shared" writes the unlogged table BACKFILL_STAGING (the caller drops it); "temporary" a
 * temporary table dropped at commit (verify's dry run). Returns n.
 */
export async function stageLedgerBackfill(tx: Tx, into: "shared" | "temporary"): Promise<number> {
  const start = Prisma.sql`
    SELECT c.user_id, 1 + COALESCE(SUM(r.points), 0)::bigint AS s0, COUNT(r.id) AS ledger_count
    FROM (SELECT DISTINCT user_id FROM changes) c LEFT JOIN reputation_entries r ON r.user_id = c.user_id
    GROUP BY c.user_id`;
  const table = into === "shared" ? Prisma.sql`UNLOGGED TABLE ${STAGING}` : Prisma.sql`TEMPORARY TABLE ${STAGING} ON COMMIT DROP`;
  const staged = await tx.$executeRaw`
    CREATE ${table} AS
    WITH ${desiredAndLive({ kind: "all" })}, ${clampedChanges(start, Prisma.sql`d.at`)}
    SELECT row_number() OVER (ORDER BY a.user_id COLLATE "C", a.rn) AS n, a.user_id, a.pts AS points, a.reason, a.post_id, a.thread_id,
      a.category_id, a.reverses_id, a.source_key, a.at AS created_at, s.ledger_count
    FROM applied a JOIN start s USING (user_id)`;
  if (into === "shared") {
    await tx.$executeRaw`CREATE INDEX ON ${STAGING} ((user_id COLLATE "C"), n)`;
    await tx.$executeRaw`ANALYZE ${STAGING}`;
  }
  return staged;
}

/** Members from `from` (included) to `to` (excluded, null: to the end), in bytewise ("C") order of their ids. */
export type MemberRange = { from: string; to: string | null };

function inRange(column: Prisma.Sql, range: MemberRange): Prisma.Sql {
  return range.to === null
    ? Prisma.sql`${column} COLLATE "C" >= ${range.from}`
    : Prisma.sql`${column} COLLATE "C" >= ${range.from} AND ${column} COLLATE "C" < ${range.to}`;
}

/**
 * Locks the members of a range (in id order, as the handlers lock members, so neither waits for the
 * other in a cycle) and says whether what was staged for them still holds: true when none of them
 * has a ledger entry that was not there when the staging read the ledger. Returns their ids.
 */
export async function lockStagedMembers(tx: Tx, range: MemberRange): Promise<{ ids: string[]; current: boolean }> {
  const members = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE ${inRange(Prisma.sql`id`, range)} ORDER BY id FOR NO KEY UPDATE`;
  const [changed] = await tx.$queryRaw<{ n: number }[]>`
    SELECT COUNT(*)::int AS n FROM (SELECT DISTINCT user_id, ledger_count FROM ${STAGING} WHERE ${inRange(Prisma.sql`user_id`, range)}) s
    WHERE s.ledger_count <> (SELECT COUNT(*) FROM reputation_entries r WHERE r.user_id = s.user_id)`;
  return { ids: members.map((m) => m.id), current: (changed?.n ?? 0) === 0 };
}

/**
 * Appends the staged entries of a range of members (one statement: the rollup trigger adds them to
 * the leaderboards as one batch). Each gets a negative event id from reputation_backfill_event_seq,
 * as history without a domain event. Returns the number appended.
 */
export async function appendStagedEntries(tx: Tx, range: MemberRange): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO reputation_entries (user_id, points, reason, event_id, post_id, thread_id, category_id, reverses_id, source_key, created_at)
    SELECT user_id, points, reason, -nextval('reputation_backfill_event_seq'), post_id, thread_id, category_id, reverses_id, source_key, created_at
    FROM ${STAGING} WHERE ${inRange(Prisma.sql`user_id`, range)} ORDER BY n`;
}

/** Sets the cached reputation of these members to 1 + their ledger sum (the backfill, after appending). */
export async function resetCachedReputation(db: Db, userIds: string[]): Promise<number> {
  return db.$executeRaw`
    UPDATE users u SET reputation = s.total
    FROM (SELECT u2.id, 1 + COALESCE(SUM(r.points), 0)::int AS total
          FROM users u2 LEFT JOIN reputation_entries r ON r.user_id = u2.id
          WHERE u2.id = ANY(${userIds}::text[]) GROUP BY u2.id) s
    WHERE u.id = s.id AND u.reputation <> s.total`;
}

/** Members whose cached reputation differs from 1 + their ledger sum (`npm run reputation:verify`). */
export async function findReputationDrift(db: Db): Promise<{ userId: string; handle: string; cached: number; ledger: number }[]> {
  const rows = await db.$queryRaw<{ id: string; handle: string; cached: number; ledger: number }[]>`
    SELECT u.id, u.handle, u.reputation AS cached, (1 + COALESCE(s.total, 0))::int AS ledger
    FROM users u LEFT JOIN (SELECT user_id, SUM(points) AS total FROM reputation_entries GROUP BY user_id) s ON s.user_id = u.id
    WHERE u.reputation <> 1 + COALESCE(s.total, 0)
    ORDER BY u.handle`;
  return rows.map((r) => ({ userId: r.id, handle: r.handle, cached: r.cached, ledger: r.ledger }));
}

/** Appends a staff bonus entry (clamped at the floor) and moves the cached reputation with it. */
export async function applyBonus(tx: Tx, eventId: bigint, userId: string, points: number, note: string): Promise<void> {
  const [user] = await tx.$queryRaw<{ reputation: number }[]>`SELECT reputation FROM users WHERE id = ${userId} FOR NO KEY UPDATE`;
  if (!user) return;
  const applied = Math.max(points, 1 - user.reputation);
  const inserted = await tx.$executeRaw`
    INSERT INTO reputation_entries (user_id, points, reason, event_id, source_key, note)
    VALUES (${userId}, ${applied}, 'staff_bonus', ${eventId}, ${`bonus:${eventId}`}, ${note})
    ON CONFLICT (event_id, user_id, reason) DO NOTHING`;
  if (inserted > 0) await tx.$executeRaw`UPDATE users SET reputation = reputation + ${applied} WHERE id = ${userId}`;
}
