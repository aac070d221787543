import { Prisma } from "~/generated/prisma/client.ts";
import { visitorKeyOf } from "~/modules/kb/give-feedback.server.ts";
import type { Visitor } from "~/modules/questions/record-view.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { TimeOnPageInput } from "./time-on-page.schema.ts";

/** The view table of each page kind: fixed identifiers, never built from input. */
const VIEWS = {
  thread: { table: Prisma.raw("thread_views"), page: Prisma.raw("thread_id") },
  article: { table: Prisma.raw("article_views"), page: Prisma.raw("article_id") },
} as const;

/**
 * The browser's time-on-page report (issue 20, ADR 072): sets `visible_seconds` on the view row its
 * page view wrote. The row is found by the page, the visitor key of the request's own cookies
 * (`u:<member>` or `a:<tw_vid>`) and the random view id the view POST returned to that page, so a
 * request can only ever write a row of its own visitor. At most one report per row: a second one is
 * a conflict and changes nothing. Bad input is `invalid`; an unknown, foreign or id-less view is
 * `not-found` (the two are not told apart). One UPDATE; a second statement only to explain a refusal.
 */
export async function recordTimeOnPage(input: Record<string, unknown>, visitor: Visitor): Promise<Result<{ seconds: number }>> {
  const parsed = TimeOnPageInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  const { kind, id, viewId, seconds } = parsed.data;
  const visitorKey = visitorKeyOf(visitor);
  if (!visitorKey) return notFound("messages.support.noPageView");
  const { table, page } = VIEWS[kind];
  const updated = await prisma.$executeRaw`
    UPDATE ${table} SET visible_seconds = ${seconds}
    WHERE ${page} = ${id} AND visitor_key = ${visitorKey} AND view_id = ${viewId}::uuid AND visible_seconds IS NULL`;
  if (updated === 1) return ok({ seconds });
  const [row] = await prisma.$queryRaw<{ one: number }[]>`
    SELECT 1 AS one FROM ${table} WHERE ${page} = ${id} AND visitor_key = ${visitorKey} AND view_id = ${viewId}::uuid`;
  return row ? conflict("messages.support.timeAlreadyReported") : notFound("messages.support.noPageView");
}
