import { announceCacheChange, onCacheChange } from "~/utils/cache-signals.server.ts";
import { prisma } from "~/utils/db.server.ts";

type CategoryRef = { id: number; slug: string; name: string };

let cache: { at: number; byId: Map<number, CategoryRef>; active: { id: number; name: string }[] } | undefined;
const TTL_MS = 60_000;

async function load(): Promise<NonNullable<typeof cache>> {
  const rows = await prisma.$queryRaw<{ id: number; slug: string; name: string; archived: boolean }[]>`
    SELECT id, slug, name, archived_at IS NOT NULL AS archived FROM categories ORDER BY position, id`;
  cache = {
    at: Date.now(),
    byId: new Map(rows.map((c) => [c.id, { id: c.id, slug: c.slug, name: c.name }])),
    active: rows.filter((c) => !c.archived).map((c) => ({ id: c.id, name: c.name })),
  };
  return cache;
}

/**
 * Categories are few and change rarely, so every name on every page turns
 * users.expert_category_ids into "Expert in <category>" with an in-memory id → category map,
 * refreshed at most once a minute (a change made on any app server is seen at once, see
 * forgetCategories), or at once when a caller needs an id it does not
 * know yet (a new category), instead of a join per query.
 */
export async function categoryMap(needed: Iterable<readonly number[] | null | undefined> = []): Promise<Map<number, CategoryRef>> {
  const known = cache && Date.now() - cache.at < TTL_MS ? cache.byId : undefined;
  if (known && [...needed].every((ids) => !ids || ids.every((id) => known.has(id)))) return known;
  return (await load()).byId;
}

/** The categories that take new questions, in their admin order (filters, pickers), from the same cache. */
export async function activeCategories(): Promise<{ id: number; name: string }[]> {
  return cache && Date.now() - cache.at < TTL_MS ? cache.active : (await load()).active;
}

/**
 * Drops the cache: the category use cases call it after a change, so this process shows it at once and
 * every other app server within a second (LISTEN/NOTIFY, ADR 060; the TTL is the bound without it).
 */
export function forgetCategories(): void {
  announceCacheChange("categories");
}

onCacheChange("categories", () => {
  cache = undefined;
});

/** The categories a member is an expert in, for UserName's marks. */
export function expertIn(ids: readonly number[] | null | undefined, map: Map<number, CategoryRef>): { slug: string; name: string }[] {
  if (!ids || ids.length === 0) return [];
  return ids.flatMap((id) => {
    const c = map.get(id);
    return c ? [{ slug: c.slug, name: c.name }] : [];
  });
}

/** Members as UserName shows them, from rows that carry their expert category ids (one shared map). */
export async function withExpertMarks<U extends { expertCategoryIds: number[] }>(users: U[]): Promise<(Omit<U, "expertCategoryIds"> & { expertIn: { slug: string; name: string }[] })[]> {
  const map = await categoryMap(users.map((u) => u.expertCategoryIds));
  return users.map(({ expertCategoryIds, ...rest }) => ({ ...rest, expertIn: expertIn(expertCategoryIds, map) }));
}
