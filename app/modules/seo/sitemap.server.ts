import { z } from "zod";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { articlePath } from "~/modules/kb/kb.schema.ts";
import { PUBLIC_THREAD } from "./public-content.server.ts";
import { absoluteUrl } from "./seo-urls.ts";
import { xmlText } from "./xml.ts";

/**
 * sitemap.xml as a sitemap index (ADR 054): one part per 50,000 URLs (the protocol's limit) of each
 * kind. Threads with at least one visible answer (a question nobody answered is thin content), published
 * articles, and the lists (home, questions, knowledge base, categories that are not archived, tags in
 * use). Never hidden, deleted or draft content: threads pass PUBLIC_THREAD, articles must be published.
 * Thread parts are cut in id order, so a part's URLs move only when threads before them disappear.
 */

export const SITEMAP_KINDS = ["threads", "articles", "lists"] as const;
export type SitemapKind = (typeof SITEMAP_KINDS)[number];
type Entry = { path: string; lastmod: Date | null };
const URLSET_OPEN = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n`;

/**
 * URLs per sitemap file: 50,000 unless SITEMAP_URLS_PER_FILE says fewer (tests split small sites).
 * Read on each request, so a test can change it without restarting the server.
 */
export function urlsPerSitemap(): number {
  const parsed = z.coerce.number().int().min(1).max(50_000).safeParse(process.env.SITEMAP_URLS_PER_FILE ?? 50_000);
  return parsed.success ? parsed.data : 50_000;
}

const ANSWERED_PUBLIC_THREAD = Prisma.sql`${PUBLIC_THREAD} AND t.answer_count > 0`;

async function articleEntries(): Promise<Entry[]> {
  const rows = await prisma.$queryRaw<{ slug: string; category_slug: string; updated_at: Date }[]>`
    SELECT a.slug, c.slug AS category_slug, a.updated_at
    FROM articles a JOIN categories c ON c.id = a.category_id
    WHERE a.status = 'published' ORDER BY a.id`;
  return rows.map((r) => ({ path: articlePath({ categorySlug: r.category_slug, slug: r.slug }), lastmod: r.updated_at }));
}

async function listEntries(): Promise<Entry[]> {
  const [latest, categories, tags, article] = await Promise.all([
    prisma.$queryRaw<{ at: Date | null }[]>`SELECT max(t.last_activity_at) AS at FROM threads t WHERE ${PUBLIC_THREAD}`,
    prisma.$queryRaw<{ slug: string; at: Date | null }[]>`
      SELECT c.slug, (SELECT max(t.last_activity_at) FROM threads t WHERE t.category_id = c.id AND ${PUBLIC_THREAD}) AS at
      FROM categories c WHERE c.archived_at IS NULL ORDER BY c.position, c.id`,
    // Tags of at least one public thread (a tag only a hidden thread uses is not named), without a
    // lastmod: the exact one joins every thread_tags row to its thread (0.6 s on the large dataset),
    // and lastmod is optional where it would only be approximate.
    prisma.$queryRaw<{ name: string }[]>`
      SELECT g.name FROM tags g
      WHERE EXISTS (SELECT 1 FROM thread_tags tt JOIN threads t ON t.id = tt.thread_id WHERE tt.tag_id = g.id AND ${PUBLIC_THREAD})
      ORDER BY g.id`,
    prisma.$queryRaw<{ at: Date | null }[]>`SELECT max(updated_at) AS at FROM articles WHERE status = 'published'`,
  ]);
  const newest = latest[0]?.at ?? null;
  return [
    { path: "/", lastmod: newest },
    { path: "/questions", lastmod: newest },
    { path: "/kb", lastmod: article[0]?.at ?? null },
    ...categories.map((c) => ({ path: `/categories/${c.slug}`, lastmod: c.at })),
    ...tags.map((g) => ({ path: `/tags/${g.name}`, lastmod: null })),
  ];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function newest(entries: readonly Entry[]): Date | null {
  let best: Date | null = null;
  for (const e of entries) if (e.lastmod && (!best || e.lastmod > best)) best = e.lastmod;
  return best;
}

/** Every part of the sitemap with its lastmod: thread parts come from one grouped scan, not from reading the URLs. */
export async function listSitemapParts(perFile = urlsPerSitemap()): Promise<{ kind: SitemapKind; part: number; lastmod: Date | null }[]> {
  const [threadParts, articles, lists] = await Promise.all([
    prisma.$queryRaw<{ part: number; lastmod: Date | null }[]>`
      SELECT ((n - 1) / ${perFile})::int + 1 AS part, max(last_activity_at) AS lastmod
      FROM (SELECT t.last_activity_at, row_number() OVER (ORDER BY t.id) AS n FROM threads t WHERE ${ANSWERED_PUBLIC_THREAD}) x
      GROUP BY 1 ORDER BY 1`,
    articleEntries(),
    listEntries(),
  ]);
  return [
    ...threadParts.map((p) => ({ kind: "threads" as const, part: p.part, lastmod: p.lastmod })),
    ...chunks(articles, perFile).map((c, i) => ({ kind: "articles" as const, part: i + 1, lastmod: newest(c) })),
    // A part of tags only (no lastmod of their own) changes when the site's threads do.
    ...chunks(lists, perFile).map((c, i) => ({ kind: "lists" as const, part: i + 1, lastmod: newest(c) ?? newest(lists) })),
  ];
}

/** The URLs of an articles or lists part (1-based), or null when there is no such part. Thread parts: threadPart(). */
export async function sitemapPart(kind: Exclude<SitemapKind, "threads">, part: number, perFile = urlsPerSitemap()): Promise<Entry[] | null> {
  if (!Number.isSafeInteger(part) || part < 1) return null;
  const entries = chunks(kind === "articles" ? await articleEntries() : await listEntries(), perFile)[part - 1] ?? [];
  return entries.length > 0 || part === 1 ? entries : null;
}

/** The rows of thread part `part`: the answered public threads in id order, one LIMIT/OFFSET range. */
function threadRange(part: number, perFile: number) {
  return Prisma.sql`(SELECT t.id, t.slug, t.last_activity_at FROM threads t WHERE ${ANSWERED_PUBLIC_THREAD}
    ORDER BY t.id LIMIT ${perFile} OFFSET ${(part - 1) * perFile}) x`;
}

/**
 * What a thread part's document is made of, in a few bytes: how many threads, and the sum of a 64-bit
 * hash of each one's id, slug and lastmod (milliseconds). Any thread hidden, deleted, unlisted, merged,
 * answered for the first time, renamed or active again changes it (two changes cancelling out in a sum of
 * 64-bit hashes is a 1 in 2^64 chance), so a kept copy of the part is served only while it is exact.
 */
const FINGERPRINT = Prisma.sql`count(*)::text || ':' || coalesce(sum(hashtextextended(x.id::text || ' ' || x.slug || ' ' || (extract(epoch FROM x.last_activity_at) * 1000)::bigint::text, 0)::numeric), 0)::text`;

/** The fingerprint of thread part `part` now (one index range scan, nothing sent but the fingerprint). */
export async function threadPartFingerprint(part: number, perFile = urlsPerSitemap()): Promise<string> {
  const [row] = await prisma.$queryRaw<{ fingerprint: string }[]>`SELECT ${FINGERPRINT} AS fingerprint FROM ${threadRange(part, perFile)}`;
  return row!.fingerprint;
}

/**
 * Thread part `part` (1-based) as a finished `<urlset>` document with its fingerprint, or null when there
 * is no such part. Up to 50,000 rows come back as one text value (id, slug, lastmod already in
 * toISOString's form; slugs hold no tab or newline: slugify turns them into dashes): one row through the
 * driver instead of 50,000 objects, and the document is written in one pass without an entry per URL.
 */
export async function threadPart(origin: string, part: number, perFile = urlsPerSitemap()): Promise<{ xml: string; fingerprint: string } | null> {
  if (!Number.isSafeInteger(part) || part < 1) return null;
  const [row] = await prisma.$queryRaw<{ fingerprint: string; lines: string | null }[]>`
    SELECT ${FINGERPRINT} AS fingerprint,
      string_agg(x.id::text || E'\t' || x.slug || E'\t' || to_char(x.last_activity_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), E'\n' ORDER BY x.id) AS lines
    FROM ${threadRange(part, perFile)}`;
  if (!row?.lines) return null;
  return { xml: threadUrlSetXml(origin, row.lines), fingerprint: row.fingerprint };
}

/** Slugs that need neither percent-encoding nor XML escaping (most of them): written as they are. */
const PLAIN_SLUG = /^[A-Za-z0-9._~-]*$/;

/**
 * The `<urlset>` of thread lines (`id\tslug\tlastmod`), the same document urlSetXml() writes for those
 * entries (a test compares them), without a Date, an entry object or two regular expressions per URL.
 */
export function threadUrlSetXml(origin: string, lines: string): string {
  const base = xmlText(absoluteUrl(origin, "/questions/"));
  let out = URLSET_OPEN;
  for (let start = 0; start < lines.length; ) {
    let end = lines.indexOf("\n", start);
    if (end < 0) end = lines.length;
    const tab1 = lines.indexOf("\t", start);
    const tab2 = lines.indexOf("\t", tab1 + 1);
    const id = lines.slice(start, tab1);
    const slug = lines.slice(tab1 + 1, tab2);
    const loc = PLAIN_SLUG.test(slug) ? `${base}${id}/${slug}` : xmlText(absoluteUrl(origin, `/questions/${id}/${slug}`));
    out += `<url><loc>${loc}</loc><lastmod>${lines.slice(tab2 + 1, end)}</lastmod></url>\n`;
    start = end + 1;
  }
  return `${out}</urlset>\n`;
}

/** `threads-3.xml` → { kind: "threads", part: 3 }; anything else → null. */
export function parseSitemapFile(file: string): { kind: SitemapKind; part: number } | null {
  const match = /^(threads|articles|lists)-([1-9][0-9]{0,8})\.xml$/.exec(file);
  return match ? { kind: match[1] as SitemapKind, part: Number(match[2]) } : null;
}

export function sitemapIndexXml(origin: string, parts: readonly { kind: SitemapKind; part: number; lastmod: Date | null }[]): string {
  const items = parts.map((p) => `<sitemap><loc>${xmlText(absoluteUrl(origin, `/sitemaps/${p.kind}-${p.part}.xml`))}</loc>${p.lastmod ? `<lastmod>${p.lastmod.toISOString()}</lastmod>` : ""}</sitemap>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${items.join("\n")}\n</sitemapindex>\n`;
}

export function urlSetXml(origin: string, entries: readonly Entry[]): string {
  const items = entries.map((e) => `<url><loc>${xmlText(absoluteUrl(origin, e.path))}</loc>${e.lastmod ? `<lastmod>${e.lastmod.toISOString()}</lastmod>` : ""}</url>\n`);
  return `${URLSET_OPEN}${items.join("")}</urlset>\n`;
}
