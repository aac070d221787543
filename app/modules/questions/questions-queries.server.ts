import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";

export const PAGE_SIZE = 30;
import type { ListFilter, ListSort } from "./questions.schema.ts";

export type ThreadListItem = {
  id: string;
  slug: string;
  title: string;
  score: number;
  answerCount: number;
  viewCount: number;
  resolved: boolean;
  createdAt: string;
  lastActivityAt: string;
  category: { slug: string; name: string };
  tags: string[];
  author: { handle: string; displayName: string };
};

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
 * past earlier pages (no OFFSET). Hidden and deleted threads never appear.
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
  const conditions: Prisma.Sql[] = [Prisma.sql`t.deleted_at IS NULL`, Prisma.sql`t.hidden_at IS NULL`];
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
  const rows = await prisma.$queryRaw<
    {
      id: bigint;
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
      tags: string[];
    }[]
  >`
    SELECT t.id, t.slug, t.title, t.score, t.answer_count, t.view_count, t.accepted_answer_id IS NOT NULL AS resolved,
      t.created_at, t.last_activity_at, c.slug AS category_slug, c.name AS category_name, u.handle, u.display_name,
      ARRAY(SELECT g.name FROM thread_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.thread_id = t.id ORDER BY g.name) AS tags
    FROM threads t
    JOIN categories c ON c.id = t.category_id
    JOIN users u ON u.id = t.author_id
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${column} DESC, t.id DESC
    LIMIT ${PAGE_SIZE + 1}`;
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > PAGE_SIZE && last
      ? encodeCursor({ v: params.sort === "votes" ? last.score : (params.sort === "active" ? last.last_activity_at : last.created_at).toISOString(), id: last.id.toString() })
      : null;
  return {
    items: page.map((r) => ({
      id: r.id.toString(),
      slug: r.slug,
      title: r.title,
      score: r.score,
      answerCount: r.answer_count,
      viewCount: r.view_count,
      resolved: r.resolved,
      createdAt: r.created_at.toISOString(),
      lastActivityAt: r.last_activity_at.toISOString(),
      category: { slug: r.category_slug, name: r.category_name },
      tags: r.tags,
      author: { handle: r.handle, displayName: r.display_name },
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

/**
 * Everything a thread page shows, in four queries: the thread, its posts (question first, then the
 * accepted answer, then by score), its comments, and the viewer's own votes.
 */
export async function getThreadPage(threadId: bigint, viewer: { id: string; seeHidden: boolean } | null) {
  const thread = await prisma.thread.findUnique({
    where: { id: threadId },
    select: {
      id: true, slug: true, title: true, score: true, answerCount: true, viewCount: true, acceptedAnswerId: true, resolvedAt: true,
      createdAt: true, lastActivityAt: true, hiddenAt: true, deletedAt: true, authorId: true,
      category: { select: { slug: true, name: true } },
      tags: { select: { tag: { select: { name: true } } } },
    },
  });
  if (!thread) return null;
  if ((thread.deletedAt || thread.hiddenAt) && !viewer?.seeHidden) return null;
  const [posts, comments, votes] = await Promise.all([
    prisma.post.findMany({
      where: { threadId, deletedAt: null, ...(viewer?.seeHidden ? {} : { hiddenAt: null }) },
      orderBy: [{ score: "desc" }, { id: "asc" }],
      select: {
        id: true, kind: true, bodyHtml: true, score: true, byStaff: true, revisionCount: true, createdAt: true, updatedAt: true, authorId: true,
        author: { select: { handle: true, displayName: true, role: true } },
      },
    }),
    prisma.comment.findMany({
      where: { threadId, deletedAt: null },
      orderBy: { id: "asc" },
      select: { id: true, postId: true, body: true, createdAt: true, author: { select: { handle: true, displayName: true } } },
    }),
    viewer ? prisma.vote.findMany({ where: { userId: viewer.id, post: { threadId } }, select: { postId: true, value: true } }) : Promise.resolve([]),
  ]);
  const question = posts.find((p) => p.kind === "question") ?? null;
  const answers = posts
    .filter((p) => p.kind === "answer")
    .sort((a, b) => Number(b.id === thread.acceptedAnswerId) - Number(a.id === thread.acceptedAnswerId));
  return { thread, question, answers, comments, votes };
}

/** A post's revisions, oldest first, for the history page. */
export async function getRevisions(postId: bigint) {
  const post = await prisma.post.findUnique({
    where: { id: postId },
    select: { id: true, kind: true, deletedAt: true, thread: { select: { id: true, slug: true, title: true, deletedAt: true, hiddenAt: true } } },
  });
  if (!post || post.deletedAt || post.thread.deletedAt || post.thread.hiddenAt) return null;
  const revisions = await prisma.postRevision.findMany({
    where: { postId },
    orderBy: { revision: "asc" },
    select: { revision: true, title: true, bodyText: true, reason: true, createdAt: true, editor: { select: { handle: true, displayName: true } } },
  });
  return { post, revisions };
}

/** The slug of a thread, for redirecting /questions/<id> to its canonical URL. */
export async function getThreadSlug(threadId: bigint): Promise<string | null> {
  const thread = await prisma.thread.findUnique({ where: { id: threadId }, select: { slug: true, deletedAt: true } });
  return thread && !thread.deletedAt ? thread.slug : null;
}

/** What the edit form starts from: the post's current JSON, and the title for a question. */
export async function getPostForEdit(postId: bigint) {
  const post = await prisma.post.findUnique({
    where: { id: postId },
    select: { id: true, kind: true, authorId: true, bodyJson: true, deletedAt: true, thread: { select: { id: true, slug: true, title: true } } },
  });
  return post && !post.deletedAt ? post : null;
}

export async function findCategoryBySlug(slug: string) {
  return prisma.category.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, description: true, archivedAt: true } });
}

export async function findTagByName(name: string) {
  return prisma.tag.findUnique({ where: { name }, select: { id: true, name: true, threadCount: true } });
}
