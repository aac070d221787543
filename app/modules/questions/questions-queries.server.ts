import { Prisma } from "~/generated/prisma/client.ts";
import { threadTagNamesSql } from "~/modules/questions/thread-tags-sql.server.ts";
import { contentLanguage } from "~/modules/content/content-language.server.ts";
import { hasControlCharacters } from "~/modules/content/plain-text.schema.ts";
import { categoryMap, expertIn, withExpertMarks } from "~/modules/reputation/expert-marks.server.ts";
import { threadWatchingSql } from "~/modules/notifications/watch-queries.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma, rawQuery } from "~/utils/db.server.ts";
import { canReadPost, canReadThread } from "./questions.policy.ts";

export const PAGE_SIZE = 30;
/** At most this many pinned threads head a list (ADR 048); a constant, so the page's LIMIT stays one the planner can see. */
export const MAX_PINS = 10;
import type { ListFilter, ListSort, ThreadListItem } from "./questions.schema.ts";


type Cursor = { v: string | number; id: string };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

export function decodeCursor(raw: string | null | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Cursor;
    if (!/^\d{1,18}$/.test(String(c.id)) || (typeof c.v !== "string" && typeof c.v !== "number")) return null;
    if (typeof c.v === "string" && Number.isNaN(Date.parse(c.v))) return null;
    return c;
  } catch {
    return null;
  }
}

const SORT_COLUMN: Record<ListSort, Prisma.Sql> = {
  newest: Prisma.sql`t.created_at`,
  active: Prisma.sql`t.last_activity_at`,
  votes: Prisma.sql`t.score`,
};

/**
 * One page of the question list with keyset pagination: the cursor is the last row's sort value and
 * id, compared as a row value so PostgreSQL seeks into the (sort, id) index instead of scanning
 * past earlier pages (no OFFSET). Hidden, deleted, unlisted and merged threads never appear. The first
 * page of the plain list (no filter but a category or tag) starts with the pinned threads (global
 * pins, and the category's own on its page) whose pin has not ended, read in the same statement
 * through a small partial index, and not repeated below (ADR 048).
 */
export async function listThreads(params: {
  filter: ListFilter;
  sort: ListSort;
  categoryId?: number;
  tagId?: number;
  viewerId?: string | null;
  cursor?: string | null;
}): Promise<{ items: ThreadListItem[]; nextCursor: string | null }> {
  const column = SORT_COLUMN[params.sort];
  const conditions: Prisma.Sql[] = [Prisma.sql`t.deleted_at IS NULL`, Prisma.sql`t.hidden_at IS NULL`, Prisma.sql`t.unlisted_at IS NULL`, Prisma.sql`t.merged_into_id IS NULL`];
  if (params.filter === "unanswered") conditions.push(Prisma.sql`t.answer_count = 0`);
  if (params.filter === "unresolved") conditions.push(Prisma.sql`t.accepted_answer_id IS NULL`);
  if (params.filter === "resolved") conditions.push(Prisma.sql`t.accepted_answer_id IS NOT NULL`);
  if (params.filter === "mine") conditions.push(params.viewerId ? Prisma.sql`t.author_id = ${params.viewerId}` : Prisma.sql`FALSE`);
  if (params.categoryId) conditions.push(Prisma.sql`t.category_id = ${params.categoryId}`);
  if (params.tagId) conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM thread_tags tt WHERE tt.thread_id = t.id AND tt.tag_id = ${params.tagId})`);
  const cursor = decodeCursor(params.cursor);
  if (cursor) {
    const value = params.sort === "votes" ? Number(cursor.v) : new Date(String(cursor.v));
    conditions.push(Prisma.sql`(${column}, t.id) < (${value}, ${BigInt(cursor.id)})`);
  }
  // Pins show on the first page of the plain list: everywhere for global ones, on their category's page for the others.
  const withPins = !cursor && params.filter === "all" && !params.tagId;
  const pinned = withPins
    ? Prisma.sql`SELECT t.id, 0 AS part FROM threads t
        WHERE t.pinned_at IS NOT NULL AND (t.pinned_until IS NULL OR t.pinned_until > now())
          AND (t.pinned_globally ${params.categoryId ? Prisma.sql`OR t.category_id = ${params.categoryId}` : Prisma.empty})
          AND t.deleted_at IS NULL AND t.hidden_at IS NULL AND t.unlisted_at IS NULL AND t.merged_into_id IS NULL
        ORDER BY t.pinned_at DESC LIMIT ${MAX_PINS}`
    : Prisma.sql`SELECT NULL::bigint AS id, 0 AS part WHERE FALSE`;
  // Straight on the pg pool (ADR 027, 074): the list serves the busiest pages and the API's list; ids come back as text.
  const sql = Prisma.sql`
    WITH pins AS (${pinned}),
    page AS (
      SELECT t.id, 1 AS part, ${column} AS sort_value FROM threads t
      WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY ${column} DESC, t.id DESC
      LIMIT ${withPins ? PAGE_SIZE + 1 + MAX_PINS : PAGE_SIZE + 1}
    ),
    picked AS (
      SELECT id, part FROM pins
      UNION ALL
      SELECT id, part FROM page WHERE id NOT IN (SELECT id FROM pins WHERE id IS NOT NULL)
    )
    SELECT k.part = 0 AS pinned, t.id, t.slug, t.title, t.score, t.answer_count, t.view_count, t.accepted_answer_id IS NOT NULL AS resolved,
      t.created_at, t.last_activity_at, c.slug AS category_slug, c.name AS category_name, u.handle, u.display_name, u.expert_category_ids,
      ${threadTagNamesSql("t")} AS tags
    FROM picked k
    JOIN threads t ON t.id = k.id
    JOIN categories c ON c.id = t.category_id
    JOIN users u ON u.id = t.author_id
    ORDER BY k.part, CASE WHEN k.part = 0 THEN t.pinned_at END DESC NULLS LAST, ${column} DESC, t.id DESC`;
  const rows = await rawQuery<{
    pinned: boolean;
    id: string;
    slug: string;
    title: string;
    score: number;
    answer_count: number;
    view_count: number;
    resolved: boolean;
    created_at: Date;
    last_activity_at: Date;
    category_slug: string;
    category_name: string;
    handle: string;
    display_name: string;
    expert_category_ids: number[];
    tags: string[];
  }>(sql.text, sql.values, { prepare: true });
  // The page proper is the unpinned rows; one more than a page of them tells whether there is a next page.
  const pins = rows.filter((r) => r.pinned);
  const unpinned = rows.filter((r) => !r.pinned);
  const page = [...pins, ...unpinned.slice(0, PAGE_SIZE)];
  const experts = await categoryMap(page.map((r) => r.expert_category_ids));
  const last = unpinned.slice(0, PAGE_SIZE).at(-1);
  const nextCursor =
    unpinned.length > PAGE_SIZE && last
      ? encodeCursor({ v: params.sort === "votes" ? last.score : (params.sort === "active" ? last.last_activity_at : last.created_at).toISOString(), id: last.id.toString() })
      : null;
  return {
    items: page.map((r) => ({
      id: r.id.toString(),
      slug: r.slug,
      title: r.title,
      lang: contentLanguage(r.title),
      score: r.score,
      answerCount: r.answer_count,
      viewCount: r.view_count,
      resolved: r.resolved,
      createdAt: r.created_at.toISOString(),
      lastActivityAt: r.last_activity_at.toISOString(),
      category: { slug: r.category_slug, name: r.category_name },
      tags: r.tags,
      author: { handle: r.handle, displayName: r.display_name, expertIn: expertIn(r.expert_category_ids, experts) },
      ...(r.pinned ? { pinned: true } : {}),
    })),
    nextCursor,
  };
}

export async function listCategories(includeArchived = false) {
  return prisma.category.findMany({
    where: includeArchived ? {} : { archivedAt: null },
    orderBy: [{ position: "asc" }, { id: "asc" }],
    select: { id: true, slug: true, name: true, description: true, archivedAt: true },
  });
}

export type ThreadPage = NonNullable<Awaited<ReturnType<typeof getThreadPage>>>;

/** Rows as pg returns them (ADR 075: the thread page reads straight from the pool): bigint columns as strings. */
type ThreadRow = {
  id: string; slug: string; title: string; score: number; answer_count: number; view_count: number; accepted_answer_id: string | null;
  resolved_at: Date | null; created_at: Date; last_activity_at: Date; hidden_at: Date | null; deleted_at: Date | null; author_id: string;
  category_slug: string; category_name: string; tags: string[];
  kb_article: { id: string; title: string; status: string; path: string } | null;
  watching: boolean | null;
  category_id: number; closed_at: Date | null; closed_reason: string | null; locked_at: Date | null; unlisted_at: Date | null;
  pinned_at: Date | null; pinned_globally: boolean; pinned_until: Date | null;
  duplicate_of: { id: string; slug: string; title: string } | null;
  merged_into: { id: string; slug: string } | null;
};
type PostRow = {
  id: string; kind: "question" | "answer"; body_html: string; score: number; by_staff: boolean; revision_count: number; created_at: Date; updated_at: Date;
  author_id: string; handle: string; display_name: string; role: string; hidden: boolean; expert_category_ids: number[]; body_text: string; avatar_key: string | null;
  /** The answer's place in the thread's order (accepted first, then score, then age); 0 for the question. */
  rank: number; total_answers: number; public_answers: number; page_offset: number;
  comments: { id: string; body: string; mentions: string[]; created_at: string; handle: string; display_name: string; expert_category_ids: number[] }[];
  my_vote: number | null; flagged: boolean;
};

/** Answers a thread page renders at once; the rest load as the reader scrolls or pages (issue 25, ADR 075). */
export const ANSWERS_PER_PAGE = 20;

/** Which answers to read: a page of `perPage` (ANSWERS_PER_PAGE unless said; 1-based), or the page that holds one answer. */
export type AnswerWindow = { page: number; answerId?: bigint | null; perPage?: number };

/**
 * Everything a thread page shows in two statements (the thread with its category and tags, then its
 * question and one page of answers, each with its author, comments, the viewer's vote and flag), so a
 * page view stays within five queries with the session lookup. Answers come accepted first, then by
 * score, then oldest first; `window` picks ANSWERS_PER_PAGE of them (a page, or the page that holds an
 * answer, for links to it), and without it every answer is read (the API). A thread's states (closed,
 * duplicate, locked, pinned, unlisted) come with the thread row (the original's title and a merge
 * target's slug by primary-key subqueries that read nothing when the column is null), so they cost no
 * query of their own; a merged thread returns `{ mergedInto }` only, for a 301.
 */
export async function getThreadPage(threadId: bigint, viewer: { id: string; seeHidden: boolean } | null, window?: AnswerWindow) {
  const threadSql = Prisma.sql`
    SELECT t.id, t.slug, t.title, t.score, t.answer_count, t.view_count, t.accepted_answer_id, t.resolved_at, t.created_at,
      t.last_activity_at, t.hidden_at, t.deleted_at, t.author_id, c.slug AS category_slug, c.name AS category_name,
      ${threadTagNamesSql("t")} AS tags,
      (SELECT json_build_object('id', a.id::text, 'title', a.title, 'status', a.status, 'path', '/kb/' || ac.slug || '/' || a.slug)
        FROM article_sources s JOIN articles a ON a.id = s.article_id JOIN categories ac ON ac.id = a.category_id
        WHERE s.thread_id = t.id) AS kb_article,
      ${viewer ? threadWatchingSql(viewer.id) : Prisma.sql`NULL::boolean`} AS watching,
      t.category_id, t.closed_at, t.closed_reason::text AS closed_reason, t.locked_at, t.unlisted_at, t.pinned_at, t.pinned_globally, t.pinned_until,
      (SELECT json_build_object('id', d.id::text, 'slug', d.slug, 'title', d.title) FROM threads d
        WHERE d.id = t.duplicate_of_id AND d.deleted_at IS NULL AND d.hidden_at IS NULL) AS duplicate_of,
      (SELECT json_build_object('id', m.id::text, 'slug', m.slug) FROM threads m WHERE m.id = t.merged_into_id) AS merged_into
    FROM threads t JOIN categories c ON c.id = t.category_id WHERE t.id = ${threadId}`;
  // Straight on the pg pool, like the list (rawQuery): Prisma's client cost about 1 ms of the page per statement.
  const [row] = await rawQuery<ThreadRow>(threadSql.text, threadSql.values, { prepare: true });
  if (!row) return null;
  if ((row.deleted_at || row.hidden_at) && !viewer?.seeHidden) return null;
  const thread = {
    id: BigInt(row.id), slug: row.slug, title: row.title, score: row.score, answerCount: row.answer_count, viewCount: row.view_count,
    acceptedAnswerId: row.accepted_answer_id === null ? null : BigInt(row.accepted_answer_id), resolvedAt: row.resolved_at, createdAt: row.created_at, lastActivityAt: row.last_activity_at,
    hiddenAt: row.hidden_at, deletedAt: row.deleted_at, authorId: row.author_id,
    category: { slug: row.category_slug, name: row.category_name },
    tags: row.tags.map((name) => ({ tag: { name } })),
    /** The knowledge-base article this thread was promoted into, if any (ADR 021). */
    kbArticle: row.kb_article,
    /** Whether the viewer watches this thread (null when signed out), ADR 041. */
    watching: row.watching,
    /** Thread states (ADR 048). */
    state: {
      categoryId: row.category_id,
      closedAt: row.closed_at,
      closedReason: row.closed_reason,
      duplicateOf: row.duplicate_of,
      lockedAt: row.locked_at,
      unlistedAt: row.unlisted_at,
      pinnedAt: row.pinned_at && (!row.pinned_until || row.pinned_until > new Date()) ? row.pinned_at : null,
      pinnedGlobally: row.pinned_globally,
      pinnedUntil: row.pinned_until,
      mergedIntoId: null,
    },
  };
  const noPaging = { page: 1, pages: 1, perPage: ANSWERS_PER_PAGE, total: 0, firstRank: 1 };
  // A merged thread is only a redirect (ADR 048): nothing else of it is read.
  if (row.merged_into) return { mergedInto: row.merged_into, thread, question: null, answers: [], votes: [], flagged: new Set<string>(), paging: noPaging, publicAnswerCount: 0 };
  const seeHidden = viewer?.seeHidden ?? false;
  const size = window ? Math.max(1, Math.floor(window.perPage ?? ANSWERS_PER_PAGE)) : 2_147_483_647;
  const requestedOffset = window ? (Math.max(1, Math.floor(window.page)) - 1) * size : 0;
  const targetAnswer = window?.answerId ?? null;
  // One statement: the answers' count, the window (the page that holds the target answer, else the requested
  // page), then the window's posts with authors, comments, and the viewer's vote and flag by primary-key lookups.
  // Ranks: question 0, the accepted answer 1 when visible, then the others by score and age, read in the
  // order of posts_thread_id_kind_score_id_idx with LIMIT/OFFSET, so a long thread's page reads its 20 index
  // entries, not every answer; the count reads the index alone (it carries deleted_at and hidden_at).
  // Ranking all of a 2,000-answer thread with window functions took 7 ms of the database's time (ADR 084).
  const acceptedId = thread.acceptedAnswerId ?? 0n;
  const visible = (alias: string) => Prisma.sql`${Prisma.raw(alias)}.thread_id = ${threadId} AND ${Prisma.raw(alias)}.deleted_at IS NULL AND (${seeHidden} OR ${Prisma.raw(alias)}.hidden_at IS NULL)`;
  const postSql = Prisma.sql`
    WITH counts AS (
      SELECT count(*) FILTER (WHERE a.kind = 'answer') AS total_answers, count(*) FILTER (WHERE a.kind = 'answer' AND a.hidden_at IS NULL) AS public_answers,
        COALESCE(bool_or(a.id = ${acceptedId}::bigint AND a.kind = 'answer'), false)::int AS accepted
      FROM posts a WHERE ${visible("a")}
    ), win AS (
      SELECT COALESCE((
        SELECT CASE WHEN t.id = ${acceptedId}::bigint THEN 0 ELSE counts.accepted + (
          SELECT count(*) FROM posts o WHERE ${visible("o")} AND o.kind = 'answer' AND o.id <> ${acceptedId}::bigint
            AND (o.score > t.score OR (o.score = t.score AND o.id < t.id))) END
        FROM posts t WHERE t.id = ${targetAnswer}::bigint AND ${visible("t")} AND t.kind = 'answer'
      ) / ${size}::int * ${size}::int, ${requestedOffset}::int) AS page_offset
      FROM counts
    ), page AS (
      SELECT q.id, 0::bigint AS rank FROM posts q WHERE ${visible("q")} AND q.kind = 'question'
      UNION ALL
      SELECT x.id, 1 FROM posts x, win, counts WHERE x.id = ${acceptedId}::bigint AND counts.accepted = 1 AND win.page_offset = 0
      UNION ALL
      SELECT o.id, win.page_offset + counts.accepted * (win.page_offset = 0)::int + row_number() OVER (ORDER BY o.score DESC, o.id)
      FROM win, counts, LATERAL (
        SELECT r.id, r.score FROM posts r WHERE ${visible("r")} AND r.kind = 'answer' AND r.id <> ${acceptedId}::bigint
        ORDER BY r.score DESC, r.id
        LIMIT ${size}::int - counts.accepted * (win.page_offset = 0)::int OFFSET GREATEST(0, win.page_offset - counts.accepted)
      ) o
    ), page_comments AS (
      SELECT c.post_id, json_agg(json_build_object('id', c.id::text, 'body', c.body, 'mentions', c.mentions, 'created_at', c.created_at,
          'handle', cu.handle, 'display_name', cu.display_name, 'expert_category_ids', cu.expert_category_ids) ORDER BY c.id) AS list
      FROM comments c JOIN users cu ON cu.id = c.author_id
      WHERE c.thread_id = ${threadId} AND c.deleted_at IS NULL AND c.post_id IN (SELECT id FROM page)
      GROUP BY c.post_id
    )
    SELECT p.id, p.kind::text AS kind, p.body_html, p.score, p.by_staff, p.revision_count, p.created_at, p.updated_at, p.author_id,
      p.hidden_at IS NOT NULL AS hidden, u.handle, u.display_name, u.role::text AS role, u.expert_category_ids, p.body_text, u.avatar_key,
      pg.rank::int AS rank, counts.total_answers::int AS total_answers, counts.public_answers::int AS public_answers, (SELECT page_offset FROM win)::int AS page_offset,
      COALESCE(pc.list, '[]'::json) AS comments,
      ${viewer ? Prisma.sql`(SELECT v.value FROM votes v WHERE v.post_id = p.id AND v.user_id = ${viewer.id})` : Prisma.sql`NULL::int`} AS my_vote,
      ${viewer ? Prisma.sql`EXISTS (SELECT 1 FROM post_flags f WHERE f.post_id = p.id AND f.flagger_id = ${viewer.id})` : Prisma.sql`false`} AS flagged
    FROM page pg CROSS JOIN counts JOIN posts p ON p.id = pg.id JOIN users u ON u.id = p.author_id
    LEFT JOIN page_comments pc ON pc.post_id = p.id
    ORDER BY pg.rank`;
  const postRows = (await rawQuery<PostRow>(postSql.text, postSql.values, { prepare: true })).map((p) => ({ ...p, postId: BigInt(p.id) }));
  const experts = await categoryMap([...postRows.map((r) => r.expert_category_ids), ...postRows.flatMap((r) => r.comments.map((c) => c.expert_category_ids))]);
  // Each post with its own comments, as the statement groups them (oldest first).
  const posts = postRows.map((p) => ({
    id: p.postId, kind: p.kind, bodyHtml: p.body_html, score: p.score, byStaff: p.by_staff, revisionCount: p.revision_count,
    createdAt: p.created_at, updatedAt: p.updated_at, authorId: p.author_id, hidden: p.hidden, bodyText: p.body_text,
    author: { handle: p.handle, displayName: p.display_name, role: p.role, expertIn: expertIn(p.expert_category_ids, experts), avatarKey: p.avatar_key },
    comments: p.comments.map((c) => ({ id: BigInt(c.id), postId: p.postId, body: c.body, mentions: c.mentions, createdAt: new Date(c.created_at), author: { handle: c.handle, displayName: c.display_name, expertIn: expertIn(c.expert_category_ids, experts) } })),
  }));
  const question = posts.find((p) => p.kind === "question") ?? null;
  const answers = posts.filter((p) => p.kind === "answer");
  const total = postRows[0]?.total_answers ?? 0;
  const offset = postRows[0]?.page_offset ?? requestedOffset;
  const paging = window ? { page: Math.floor(offset / size) + 1, pages: Math.max(1, Math.ceil(total / size)), perPage: size, total, firstRank: offset + 1 } : { ...noPaging, total, perPage: total };
  return {
    mergedInto: null as { id: string; slug: string } | null,
    thread,
    question,
    answers,
    votes: postRows.filter((p) => p.my_vote !== null).map((p) => ({ postId: p.postId, value: p.my_vote! })),
    flagged: new Set(postRows.filter((p) => p.flagged).map((p) => p.id)),
    paging,
    /** Answers anyone may see (hidden ones apart): what structured data counts. */
    publicAnswerCount: postRows[0]?.public_answers ?? 0,
  };
}

/** A post's revisions, oldest first, for the history page, when `viewer` may read the post (canReadPost). */
export async function getRevisions(postId: bigint, viewer: Actor | null) {
  const post = await prisma.post.findUnique({
    where: { id: postId },
    select: { id: true, kind: true, deletedAt: true, hiddenAt: true, thread: { select: { id: true, slug: true, title: true, deletedAt: true, hiddenAt: true } } },
  });
  if (!post || !canReadPost(viewer, post)) return null;
  const revisions = await prisma.postRevision.findMany({
    where: { postId },
    orderBy: { revision: "asc" },
    select: { revision: true, title: true, bodyText: true, reason: true, createdAt: true, editor: { select: { handle: true, displayName: true, expertCategoryIds: true } } },
  });
  const editors = await withExpertMarks(revisions.map((r) => r.editor));
  return { post, revisions: revisions.map((r, i) => ({ ...r, editor: editors[i]! })) };
}

/**
 * The canonical path of a thread `viewer` may read (canReadThread), for redirecting /questions/<id>:
 * a merged thread's is its target's (ADR 048).
 */
export async function getThreadPath(threadId: bigint, viewer: Actor | null): Promise<string | null> {
  const thread = await prisma.thread.findUnique({ where: { id: threadId }, select: { slug: true, deletedAt: true, hiddenAt: true, mergedIntoId: true } });
  if (!thread || !canReadThread(viewer, thread)) return null;
  if (thread.mergedIntoId) {
    const target = await prisma.thread.findUnique({ where: { id: thread.mergedIntoId }, select: { id: true, slug: true, deletedAt: true, hiddenAt: true } });
    return target && canReadThread(viewer, target) ? `/questions/${target.id}/${target.slug}` : null;
  }
  return `/questions/${threadId}/${thread.slug}`;
}

/** What the edit form starts from (the post's current JSON, and the title for a question), when `viewer` may read the post. */
export async function getPostForEdit(postId: bigint, viewer: Actor | null) {
  const post = await prisma.post.findUnique({
    where: { id: postId },
    select: { id: true, kind: true, authorId: true, bodyJson: true, deletedAt: true, hiddenAt: true, thread: { select: { id: true, slug: true, title: true, deletedAt: true, hiddenAt: true } } },
  });
  return post && canReadPost(viewer, post) ? post : null;
}

/** URL parameters with control characters name nothing (and PostgreSQL refuses NUL in text). */
export async function findCategoryBySlug(slug: string) {
  if (hasControlCharacters(slug)) return null;
  return prisma.category.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, description: true, archivedAt: true } });
}

export async function findTagByName(name: string) {
  if (hasControlCharacters(name)) return null;
  return prisma.tag.findUnique({ where: { name: name.toLowerCase().normalize("NFC") }, select: { id: true, name: true, threadCount: true } });
}
