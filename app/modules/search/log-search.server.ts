import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { invalid, ok, type Result } from "~/utils/http.server.ts";
import { analyzeQuery } from "./analyze.ts";
import { searchEngine, type SearchEngine } from "./search-engine.server.ts";
import { LogSearchInput } from "./search.schema.ts";

export type SearchLogActor = { userId: string | null; anonId: string | null };

/** A search logged again by the same visitor within this time, with the same query and filters, is one search. */
export const REPEAT_WINDOW_MS = 10_000;

/**
 * Records a search (search_queries), and the result opened from it when there is one. The result
 * count and terms are computed here, not taken from the browser. When `searchId` names an earlier
 * search of the same visitor, the opened result is written on that row (the first open wins);
 * otherwise a new row is written. An ask-form suggestion opened this way is a possible deflection:
 * the dashboard derives "left without posting" from the visitor's next question.
 * Zero-result searches are written like any other: they are the content gaps.
 * The same search sent again by the same visitor within REPEAT_WINDOW_MS (a retried or doubled
 * beacon) answers with the first row's id and writes nothing (issue 16, item 8).
 * Events, in the row's transaction (the dashboard's search cells are recomputed from them, ADR 023):
 * search.performed for a new row, search.result_opened when an earlier row gets its opened result.
 */
export async function logSearch(input: unknown, actor: SearchLogActor, engine: SearchEngine = searchEngine): Promise<Result<{ searchId: string }>> {
  const parsed = LogSearchInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  const { q, from, opened, searchId, type, category, resolved } = parsed.data;
  if (!q && !opened) return invalid({ q: ["search.errors.emptyQuery"] });
  const visitorKey = actor.userId ? `u:${actor.userId}` : actor.anonId ? `a:${actor.anonId}` : null;
  if (searchId && opened) {
    const openedEarlier = await prisma.$transaction(async (tx) => {
      const updated = await tx.searchQuery.updateMany({
        where: { id: BigInt(searchId), visitorKey, openedDoc: null },
        data: { openedDoc: opened, openedAt: new Date() },
      });
      if (updated.count !== 1) return false;
      await recordEvent(tx, { type: "search.result_opened", actorId: actor.userId, subjectType: "search", subjectId: searchId, payload: { opened } });
      return true;
    });
    if (openedEarlier) return ok({ searchId });
  }
  const analyzed = analyzeQuery(q);
  const result = from === "ask_suggestions" ? engine.suggest(q, 5) : engine.search(q, { type, categoryId: category, resolvedOnly: resolved }, 1);
  const resultCount = result.status === "ok" ? (from === "ask_suggestions" ? result.hits.length : result.total) : 0;
  const id = await prisma.$transaction(async (tx) => {
    if (visitorKey) {
      // The same beacon sent again (a retry, a double submit) within REPEAT_WINDOW_MS is the same search:
      // its first row answers. The lock makes copies sent at once take turns, so they see each other.
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`search-log:${visitorKey}`}))::text`;
      const earlier = await tx.searchQuery.findFirst({
        where: { visitorKey, query: q, source: from, categoryId: category ?? null, openedDoc: opened ?? null, createdAt: { gte: new Date(Date.now() - REPEAT_WINDOW_MS) } },
        orderBy: { id: "desc" },
        select: { id: true },
      });
      if (earlier) return earlier.id;
    }
    const row = await tx.searchQuery.create({
      data: {
        query: q,
        terms: analyzed.terms,
        language: analyzed.languages.join(","),
        resultCount,
        source: from,
        userId: actor.userId,
        visitorKey,
        categoryId: category ?? null,
        openedDoc: opened ?? null,
        openedAt: opened ? new Date() : null,
      },
      select: { id: true },
    });
    await recordEvent(tx, {
      type: "search.performed",
      actorId: actor.userId,
      subjectType: "search",
      subjectId: row.id.toString(),
      payload: { source: from, resultCount, categoryId: category ?? null, opened: opened ?? null },
    });
    return row.id;
  });
  return ok({ searchId: id.toString() });
}
