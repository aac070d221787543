import { slugify } from "~/modules/questions/questions.schema.ts";
import type { Tx } from "~/utils/db.server.ts";
import { DEFAULT_REVIEW_DAYS } from "./kb.schema.ts";

/** Shared steps of the use cases that write articles (create, edit, promote). Not use cases. */

/** A slug free in the category: the title's slug, or with -2, -3… appended. */
export async function freeSlug(tx: Tx, categoryId: number, title: string, exceptArticleId?: bigint): Promise<string> {
  const base = slugify(title, 70, "article");
  const rows = await tx.$queryRaw<{ slug: string }[]>`
    SELECT slug FROM articles
    WHERE category_id = ${categoryId} AND (slug = ${base} OR slug LIKE ${`${base}-%`})
      AND (${exceptArticleId ?? null}::bigint IS NULL OR id <> ${exceptArticleId ?? null}::bigint)`;
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Replaces an article's tags; tags that do not exist yet are created (with no threads). */
export async function setArticleTags(tx: Tx, articleId: bigint, tags: readonly string[]): Promise<void> {
  await tx.articleTag.deleteMany({ where: { articleId } });
  for (const name of tags) {
    const [tag] = await tx.$queryRaw<{ id: number }[]>`
      INSERT INTO tags (name, thread_count) VALUES (${name}, 0)
      ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`;
    await tx.articleTag.create({ data: { articleId, tagId: tag!.id } });
  }
}

/** `YYYY-MM-DD` (or nothing: the default horizon from today) as the date column's value. */
export function reviewDate(value: string | undefined, now = new Date()): Date {
  if (value) return new Date(`${value}T00:00:00Z`);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + DEFAULT_REVIEW_DAYS);
  return d;
}

/** True for PostgreSQL's unique_violation, however the driver adapter wraps it. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; meta?: { code?: string; driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } }; message?: string };
  return (
    e?.code === "P2002" ||
    e?.code === "23505" ||
    e?.meta?.code === "23505" ||
    e?.meta?.driverAdapterError?.cause?.originalCode === "23505" ||
    e?.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation" ||
    /unique constraint|duplicate key/i.test(e?.message ?? "")
  );
}
