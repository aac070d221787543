import { prisma } from "~/utils/db.server.ts";

type CategoryRef = { id: number; slug: string; name: string };

let cache: { at: number; byId: Map<number, CategoryRef> } | undefined;
const TTL_MS = 60_000;

/**
 * Categories are few and change rarely, so every name on every page turns
 * users.expert_category_ids into "Expert in <category>" with an in-memory id → category map,
 * refreshed at most once a minute (a rename shows within that), or at once when a caller needs an
 * id it does not know yet (a new category), instead of a join per query.
 */
export async function categoryMap(needed: Iterable<readonly number[] | null | undefined> = []): Promise<Map<number, CategoryRef>> {
  const known = cache && Date.now() - cache.at < TTL_MS ? cache.byId : undefined;
  if (known && [...needed].every((ids) => !ids || ids.every((id) => known.has(id)))) return known;
  const rows = await prisma.category.findMany({ select: { id: true, slug: true, name: true } });
  cache = { at: Date.now(), byId: new Map(rows.map((c) => [c.id, c])) };
  return cache.byId;
}

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
