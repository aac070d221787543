import { Prisma } from "~/generated/prisma/client.ts";
import { articlePath } from "~/modules/kb/kb.schema.ts";
import { prisma } from "~/utils/db.server.ts";
import { PUBLIC_THREAD } from "./public-content.server.ts";
import { plainDescription, SITE_NAME } from "./seo-meta.ts";
import { absoluteUrl } from "./seo-urls.ts";
import { xmlText } from "./xml.ts";

/**
 * Atom feeds (RFC 4287, ADR 054) of the latest questions (all, per category, per tag) and of the
 * knowledge base. Only what a signed-out visitor may read: threads pass PUBLIC_THREAD, articles must be
 * published. Summaries are plain text (type="text"), so no HTML from a post reaches a feed reader.
 */

export const FEED_SIZE = 30;
const SUMMARY_MAX = 300;

type FeedEntry = { id: string; title: string; path: string; published: Date; updated: Date; author: { handle: string; displayName: string }; summary: string };
type Feed = { title: string; path: string; alternatePath: string; entries: FeedEntry[] };

type ThreadRow = { id: bigint; slug: string; title: string; created_at: Date; last_activity_at: Date; handle: string; display_name: string; body_text: string | null };

async function latestThreads(where: Prisma.Sql, order: Prisma.Sql, from = Prisma.sql`threads t`): Promise<FeedEntry[]> {
  const rows = await prisma.$queryRaw<ThreadRow[]>`
    SELECT t.id, t.slug, t.title, t.created_at, t.last_activity_at, u.handle, u.display_name, left(q.body_text, 2000) AS body_text
    FROM ${from}
    JOIN users u ON u.id = t.author_id
    LEFT JOIN posts q ON q.id = t.question_post_id AND q.hidden_at IS NULL AND q.deleted_at IS NULL
    WHERE ${PUBLIC_THREAD} AND ${where}
    ORDER BY ${order} LIMIT ${FEED_SIZE}`;
  return rows.map((r) => ({
    id: `/questions/${r.id}`,
    title: r.title,
    path: `/questions/${r.id}/${r.slug}`,
    published: r.created_at,
    updated: r.last_activity_at,
    author: { handle: r.handle, displayName: r.display_name },
    summary: plainDescription(r.body_text ?? "", SUMMARY_MAX),
  }));
}

/** The latest questions of the whole site. */
export async function questionsFeed(): Promise<Feed> {
  return { title: `${SITE_NAME}: latest questions`, path: "/feeds/questions", alternatePath: "/questions", entries: await latestThreads(Prisma.sql`TRUE`, Prisma.sql`t.created_at DESC, t.id DESC`) };
}

/** The latest questions of a category, or null when there is no such category. */
export async function categoryFeed(slug: string): Promise<Feed | null> {
  const [category] = await prisma.$queryRaw<{ id: number; name: string }[]>`SELECT id, name FROM categories WHERE slug = ${slug} AND archived_at IS NULL`;
  if (!category) return null;
  return {
    title: `${SITE_NAME}: ${category.name}`,
    path: `/feeds/categories/${slug}`,
    alternatePath: `/categories/${slug}`,
    entries: await latestThreads(Prisma.sql`t.category_id = ${category.id}`, Prisma.sql`t.created_at DESC, t.id DESC`),
  };
}

/** The latest questions with a tag, or null when there is no such tag. */
export async function tagFeed(name: string): Promise<Feed | null> {
  const [tag] = await prisma.$queryRaw<{ id: number; name: string }[]>`SELECT id, name FROM tags WHERE name = ${name}`;
  if (!tag) return null;
  return {
    title: `${SITE_NAME}: questions tagged ${tag.name}`,
    path: `/feeds/tags/${tag.name}`,
    alternatePath: `/tags/${tag.name}`,
    // Newest first by the (tag_id, thread_id DESC) index: ids grow with time.
    entries: await latestThreads(Prisma.sql`tt.tag_id = ${tag.id}`, Prisma.sql`tt.thread_id DESC`, Prisma.sql`thread_tags tt JOIN threads t ON t.id = tt.thread_id`),
  };
}

/** The most recently updated published knowledge-base articles. */
export async function kbFeed(): Promise<Feed> {
  const rows = await prisma.$queryRaw<{ id: bigint; slug: string; title: string; category_slug: string; published_at: Date | null; updated_at: Date; handle: string; display_name: string; body_text: string }[]>`
    SELECT a.id, a.slug, a.title, c.slug AS category_slug, a.published_at, a.updated_at, u.handle, u.display_name, left(a.body_text, 2000) AS body_text
    FROM articles a JOIN categories c ON c.id = a.category_id JOIN users u ON u.id = a.owner_id
    WHERE a.status = 'published'
    ORDER BY a.updated_at DESC, a.id DESC LIMIT ${FEED_SIZE}`;
  return {
    title: `${SITE_NAME}: knowledge base`,
    path: "/feeds/kb",
    alternatePath: "/kb",
    entries: rows.map((r) => ({
      id: `/kb/${r.id}`,
      title: r.title,
      path: articlePath({ categorySlug: r.category_slug, slug: r.slug }),
      published: r.published_at ?? r.updated_at,
      updated: r.updated_at,
      author: { handle: r.handle, displayName: r.display_name },
      summary: plainDescription(r.body_text, SUMMARY_MAX),
    })),
  };
}

/** The feed as Atom XML. Entry ids are the items' stable /questions/<id> and /kb/<id> addresses. */
export function atomXml(origin: string, feed: Feed): string {
  const url = (path: string) => xmlText(absoluteUrl(origin, path));
  const updated = feed.entries.reduce<Date | null>((max, e) => (!max || e.updated > max ? e.updated : max), null) ?? new Date(0);
  const entries = feed.entries.map((e) =>
    [
      "<entry>",
      `<id>${url(e.id)}</id>`,
      `<title type="text">${xmlText(e.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${url(e.path)}"/>`,
      `<published>${e.published.toISOString()}</published>`,
      `<updated>${e.updated.toISOString()}</updated>`,
      `<author><name>${xmlText(e.author.displayName)}</name><uri>${url(`/u/${e.author.handle}`)}</uri></author>`,
      `<summary type="text">${xmlText(e.summary)}</summary>`,
      "</entry>",
    ].join(""),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${url(feed.path)}</id>`,
    `<title type="text">${xmlText(feed.title)}</title>`,
    `<link rel="self" type="application/atom+xml" href="${url(feed.path)}"/>`,
    `<link rel="alternate" type="text/html" href="${url(feed.alternatePath)}"/>`,
    `<updated>${updated.toISOString()}</updated>`,
    `<generator>${SITE_NAME}</generator>`,
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
