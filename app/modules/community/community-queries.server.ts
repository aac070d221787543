import { Prisma } from "~/generated/prisma/client.ts";
import { threadTagNamesSql } from "~/modules/questions/thread-tags-sql.server.ts";
import { hasControlCharacters } from "~/modules/content/plain-text.schema.ts";
import { categoryMap, expertIn } from "~/modules/reputation/expert-marks.server.ts";
import type { ThreadListItem } from "~/modules/questions/questions.schema.ts";
import { prisma } from "~/utils/db.server.ts";

/** How many threads each home-page list shows. */
export const HOME_LIST_SIZE = 6;

/** A visible thread: neither hidden nor deleted (the same rule as the question list). */
const VISIBLE = Prisma.sql`t.deleted_at IS NULL AND t.hidden_at IS NULL`;

type ThreadJson = {
  id: string; slug: string; title: string; score: number; answer_count: number; view_count: number; resolved: boolean;
  created_at: string; last_activity_at: string; category_slug: string; category_name: string; handle: string; display_name: string;
  expert_category_ids: number[]; tags: string[] | null;
};

export type CategorySummary = {
  id: number; slug: string; name: string; description: string; threadCount: number;
  latest: { id: string; slug: string; title: string; lastActivityAt: string } | null;
};
export type HelpfulArticle = { id: string; title: string; path: string; helpfulYes: number; category: string };
export type HomePage = {
  categories: CategorySummary[];
  latest: ThreadListItem[];
  unanswered: ThreadListItem[];
  popular: ThreadListItem[];
  articles: HelpfulArticle[];
};

// Thread counts per category need every visible thread counted: at 100k threads that is a scan, far over a
// list page's budget. Counts are a rough figure ("1.2k questions"), so each process keeps them a minute.
const COUNT_TTL_MS = 60_000;
let counts: { at: number; byCategory: Map<number, number> } | undefined;

async function categoryCounts(): Promise<Map<number, number>> {
  if (counts && Date.now() - counts.at < COUNT_TTL_MS) return counts.byCategory;
  const rows = await prisma.$queryRaw<{ category_id: number; n: number }[]>`
    SELECT t.category_id, count(*)::int AS n FROM threads t WHERE ${VISIBLE} GROUP BY t.category_id`;
  counts = { at: Date.now(), byCategory: new Map(rows.map((r) => [r.category_id, r.n])) };
  return counts.byCategory;
}

/** Forgets the cached category counts (tests, and a process that just changed many threads). */
export function forgetCategoryCounts(): void {
  counts = undefined;
}

type CategoryJson = { id: number; slug: string; name: string; description: string; latest: { id: string; slug: string; title: string; last_activity_at: string } | null };

/** Active categories in admin order as a JSON array, each with its latest visible thread (one index probe each). */
const CATEGORIES_SQL = Prisma.sql`(SELECT coalesce(json_agg(x ORDER BY x.position, x.id), '[]'::json) FROM (
  SELECT c.id, c.slug, c.name, c.description, c.position,
    (SELECT json_build_object('id', t.id::text, 'slug', t.slug, 'title', t.title, 'last_activity_at', t.last_activity_at)
      FROM threads t WHERE t.category_id = c.id AND ${VISIBLE} ORDER BY t.last_activity_at DESC, t.id DESC LIMIT 1) AS latest
  FROM categories c WHERE c.archived_at IS NULL) x)`;

function toCategories(rows: CategoryJson[], byCategory: Map<number, number>): CategorySummary[] {
  return rows.map((c) => ({
    id: c.id, slug: c.slug, name: c.name, description: c.description, threadCount: byCategory.get(c.id) ?? 0,
    latest: c.latest ? { id: c.latest.id, slug: c.latest.slug, title: c.latest.title, lastActivityAt: new Date(c.latest.last_activity_at).toISOString() } : null,
  }));
}

/** One list of the home page as a JSON array, each sub-select walking one of the threads' keyset indexes. */
function threadListSql(where: Prisma.Sql, order: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT coalesce(json_agg(x), '[]'::json) FROM (
    SELECT t.id::text AS id, t.slug, t.title, t.score, t.answer_count, t.view_count, t.accepted_answer_id IS NOT NULL AS resolved,
      t.created_at, t.last_activity_at, c.slug AS category_slug, c.name AS category_name, u.handle, u.display_name, u.expert_category_ids,
      ${threadTagNamesSql("t")} AS tags
    FROM threads t JOIN categories c ON c.id = t.category_id JOIN users u ON u.id = t.author_id
    WHERE ${VISIBLE} AND ${where}
    ORDER BY ${order} LIMIT ${HOME_LIST_SIZE}) x)`;
}

function toItem(r: ThreadJson, experts: Awaited<ReturnType<typeof categoryMap>>): ThreadListItem {
  return {
    id: r.id, slug: r.slug, title: r.title, score: r.score, answerCount: r.answer_count, viewCount: r.view_count, resolved: r.resolved,
    createdAt: new Date(r.created_at).toISOString(), lastActivityAt: new Date(r.last_activity_at).toISOString(),
    category: { slug: r.category_slug, name: r.category_name }, tags: r.tags ?? [],
    author: { handle: r.handle, displayName: r.display_name, expertIn: expertIn(r.expert_category_ids, experts) },
  };
}

/**
 * Everything the home page shows, in one statement (plus the minute-old category counts): the active
 * categories with their latest visible thread (through the (category_id, last_activity_at) index), the latest
 * and the unanswered questions (created_at index), popular resolved questions (score index) and the published
 * articles readers found most helpful. Hidden and deleted threads never appear.
 */
export async function getHomePage(): Promise<HomePage> {
  const [[row], byCategory] = await Promise.all([
    prisma.$queryRaw<{ categories: CategoryJson[]; latest: ThreadJson[]; unanswered: ThreadJson[]; popular: ThreadJson[]; articles: { id: string; title: string; path: string; helpful_yes: number; category: string }[] }[]>`
      SELECT
        ${CATEGORIES_SQL} AS categories,
        ${threadListSql(Prisma.sql`TRUE`, Prisma.sql`t.created_at DESC, t.id DESC`)} AS latest,
        ${threadListSql(Prisma.sql`t.answer_count = 0`, Prisma.sql`t.created_at DESC, t.id DESC`)} AS unanswered,
        ${threadListSql(Prisma.sql`t.accepted_answer_id IS NOT NULL`, Prisma.sql`t.score DESC, t.id DESC`)} AS popular,
        (SELECT coalesce(json_agg(x), '[]'::json) FROM (
          SELECT a.id::text AS id, a.title, '/kb/' || ac.slug || '/' || a.slug AS path, a.helpful_yes, ac.name AS category
          FROM articles a JOIN categories ac ON ac.id = a.category_id
          WHERE a.status = 'published' AND a.helpful_yes > 0
          ORDER BY a.helpful_yes - a.helpful_no DESC, a.helpful_yes DESC, a.id DESC LIMIT ${HOME_LIST_SIZE}) x) AS articles`,
    categoryCounts(),
  ]);
  const lists = [row!.latest, row!.unanswered, row!.popular];
  const experts = await categoryMap(lists.flat().map((r) => r.expert_category_ids));
  return {
    categories: toCategories(row!.categories, byCategory),
    latest: row!.latest.map((r) => toItem(r, experts)),
    unanswered: row!.unanswered.map((r) => toItem(r, experts)),
    popular: row!.popular.map((r) => toItem(r, experts)),
    articles: row!.articles.map((a) => ({ id: a.id, title: a.title, path: a.path, helpfulYes: a.helpful_yes, category: a.category })),
  };
}

/** The /categories page: every active category with its description, count and latest activity. */
export async function listCategoryIndex(): Promise<CategorySummary[]> {
  const [[row], byCategory] = await Promise.all([prisma.$queryRaw<{ categories: CategoryJson[] }[]>`SELECT ${CATEGORIES_SQL} AS categories`, categoryCounts()]);
  return toCategories(row!.categories, byCategory);
}

export const TAG_INDEX_SIZE = 200;

/**
 * The /tags page: tags with the number of visible threads carrying them (tags.thread_count also counts hidden
 * and deleted threads, so it is not used here), most used first; `q` keeps the tags whose name contains it.
 */
export async function listTagIndex(q: string): Promise<{ name: string; count: number }[]> {
  const term = q.trim().toLowerCase().normalize("NFC").slice(0, 50);
  if (hasControlCharacters(term)) return [];
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await prisma.$queryRaw<{ name: string; n: number }[]>`
    SELECT g.name, count(*)::int AS n
    FROM tags g JOIN thread_tags tt ON tt.tag_id = g.id JOIN threads t ON t.id = tt.thread_id
    WHERE ${VISIBLE} ${term ? Prisma.sql`AND g.name LIKE ${pattern}` : Prisma.empty}
    GROUP BY g.name ORDER BY n DESC, g.name LIMIT ${TAG_INDEX_SIZE}`;
  return rows.map((r) => ({ name: r.name, count: r.n }));
}

export type CategoryExpert = { handle: string; displayName: string; reputation: number; avatarKey: string | null };

/** The members holding the expert badge of a category (users.expert_category_ids), best reputation first. */
export async function listCategoryExperts(categoryId: number, limit = 8): Promise<CategoryExpert[]> {
  const rows = await prisma.$queryRaw<{ handle: string; display_name: string; reputation: number; avatar_key: string | null }[]>`
    SELECT handle, display_name, reputation, avatar_key FROM users
    WHERE ${categoryId} = ANY(expert_category_ids) AND status = 'active'
    ORDER BY reputation DESC, handle LIMIT ${limit}`;
  return rows.map((r) => ({ handle: r.handle, displayName: r.display_name, reputation: r.reputation, avatarKey: r.avatar_key }));
}
