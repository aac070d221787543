import { Prisma } from "~/generated/prisma/client.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { encodeKeysetCursor, type KeysetCursor } from "~/modules/api/keyset-cursor.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, ok, type Result } from "~/utils/http.server.ts";
import { ticketJourney, type JourneyStep } from "./journey-queries.server.ts";
import { resolutionState } from "./verify-resolution.server.ts";
import { canReplyAsCustomer, canSeeTicket, canWorkTickets } from "./support.policy.ts";
import type { QueueFilter } from "./support.schema.ts";

type Person = { id: string; handle: string; displayName: string };

export type TicketMessageView = { id: string; kind: "customer" | "reply" | "note"; body: string; createdAt: string; author: Person; publishedPostId: string | null };

export type TicketPage = {
  id: string;
  status: string;
  priority: string;
  source: string;
  message: string;
  outcome: string | null;
  outcomeLink: string | null;
  createdAt: string;
  waitingSince: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  customer: Person;
  assignee: Person | null;
  thread: { id: string; slug: string; title: string } | null;
  article: { id: string; title: string; href: string } | null;
  /** Internal notes are left out for the customer. */
  messages: TicketMessageView[];
  /** The customer's last 7 days before the ticket (staff only: the customer has /account for their own). */
  journey: JourneyStep[] | null;
  can: { work: boolean; reply: boolean };
};

/**
 * A ticket as its customer or staff see it, or null when the actor may not see it (the route answers
 * 404 either way, so another member cannot tell a ticket exists). The customer never sees internal notes.
 */
export async function getTicketPage(actor: Actor | null, id: bigint): Promise<TicketPage | null> {
  const t = await prisma.supportTicket.findUnique({
    where: { id },
    select: {
      id: true, customerId: true, visitorId: true, status: true, priority: true, source: true, message: true, outcome: true, outcomeLink: true,
      createdAt: true, waitingSince: true, firstResponseAt: true, resolvedAt: true, assigneeId: true, threadId: true, articleId: true,
    },
  });
  if (!t || !canSeeTicket(actor, t)) return null;
  const work = canWorkTickets(actor);
  const [people, thread, article, messages, journey] = await Promise.all([
    prisma.user.findMany({ where: { id: { in: [t.customerId, ...(t.assigneeId ? [t.assigneeId] : [])] } }, select: { id: true, handle: true, displayName: true } }),
    t.threadId ? prisma.thread.findUnique({ where: { id: t.threadId }, select: { id: true, slug: true, title: true } }) : null,
    t.articleId ? prisma.article.findUnique({ where: { id: t.articleId }, select: { id: true, title: true, slug: true, categoryId: true } }) : null,
    prisma.ticketMessage.findMany({
      where: { ticketId: id, ...(work ? {} : { kind: { not: "note" } }) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, kind: true, body: true, createdAt: true, publishedPostId: true, authorId: true },
    }),
    work ? ticketJourney(t) : null,
  ]);
  const authors = await prisma.user.findMany({ where: { id: { in: [...new Set(messages.map((m) => m.authorId))] } }, select: { id: true, handle: true, displayName: true } });
  const byId = new Map([...people, ...authors].map((p) => [p.id, p]));
  const category = article ? await prisma.category.findUnique({ where: { id: article.categoryId }, select: { slug: true } }) : null;
  return {
    id: t.id.toString(),
    status: t.status,
    priority: t.priority,
    source: t.source,
    message: t.message,
    outcome: t.outcome,
    outcomeLink: t.outcomeLink,
    createdAt: t.createdAt.toISOString(),
    waitingSince: t.waitingSince?.toISOString() ?? null,
    firstResponseAt: t.firstResponseAt?.toISOString() ?? null,
    resolvedAt: t.resolvedAt?.toISOString() ?? null,
    customer: byId.get(t.customerId)!,
    assignee: t.assigneeId ? (byId.get(t.assigneeId) ?? null) : null,
    thread: thread ? { id: thread.id.toString(), slug: thread.slug, title: thread.title } : null,
    article: article && category ? { id: article.id.toString(), title: article.title, href: `/kb/${category.slug}/${article.slug}` } : null,
    messages: messages.map((m) => ({
      id: m.id.toString(),
      kind: m.kind as TicketMessageView["kind"],
      body: m.body,
      createdAt: m.createdAt.toISOString(),
      author: byId.get(m.authorId) ?? { id: m.authorId, handle: "", displayName: "" },
      publishedPostId: m.publishedPostId?.toString() ?? null,
    })),
    journey,
    can: { work, reply: canReplyAsCustomer(actor, t) },
  };
}

export type QueueRow = {
  id: string;
  status: string;
  priority: string;
  source: string;
  createdAt: string;
  waitingSince: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  customer: string;
  assignee: string | null;
  subject: string;
};

export const QUEUE_PAGE_SIZE = 50;

/**
 * The staff queue: the tickets of a filter, those waiting longest for staff first, 50 a page, and the
 * count of each status. Two statements; both read the queue's indexes (ADR 058).
 */
export async function listQueue(filter: QueueFilter, actorId: string, page = 1): Promise<{ rows: QueueRow[]; counts: Record<string, number> }> {
  const offset = (Math.max(1, Math.min(page, 1000)) - 1) * QUEUE_PAGE_SIZE;
  const [rows, counts] = await Promise.all([queueRows(queueConditions(filter, actorId), QUEUE_PAGE_SIZE, offset), statusCounts()]);
  return { rows: rows.map(queueRow), counts };
}

/**
 * The staff queue for the API (issue 22): the same filters and order as /support, by keyset instead of page
 * number (the last row's waiting_since, null last, and id). Staff and admins only (canWorkTickets, as the page).
 */
export async function listQueueByCursor(actor: Actor, filter: QueueFilter, cursor: KeysetCursor | null): Promise<Result<{ rows: QueueRow[]; counts: Record<string, number>; nextCursor: string | null }>> {
  if (!canWorkTickets(actor)) return forbidden("messages.support.queueForbidden");
  const where = queueConditions(filter, actor.id);
  if (cursor) {
    const after = BigInt(cursor.id);
    where.push(
      cursor.at === null
        ? Prisma.sql`(s.waiting_since IS NULL AND s.id > ${after})`
        : Prisma.sql`(s.waiting_since > ${new Date(cursor.at)} OR (s.waiting_since = ${new Date(cursor.at)} AND s.id > ${after}) OR s.waiting_since IS NULL)`,
    );
  }
  const [rows, counts] = await Promise.all([queueRows(where, QUEUE_PAGE_SIZE + 1, 0), statusCounts()]);
  const page = rows.slice(0, QUEUE_PAGE_SIZE);
  const last = page[page.length - 1];
  const nextCursor = rows.length > QUEUE_PAGE_SIZE && last ? encodeKeysetCursor({ at: last.waiting_since?.toISOString() ?? null, id: last.id.toString() }) : null;
  return ok({ rows: page.map(queueRow), counts, nextCursor });
}

function queueConditions(filter: QueueFilter, actorId: string): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filter.status === "active") where.push(Prisma.sql`s.status NOT IN ('solved', 'closed')`);
  else if (filter.status !== "all") where.push(Prisma.sql`s.status = ${filter.status}`);
  if (filter.assignee === "me") where.push(Prisma.sql`s.assignee_id = ${actorId}`);
  else if (filter.assignee === "none") where.push(Prisma.sql`s.assignee_id IS NULL`);
  else if (filter.assignee) where.push(Prisma.sql`s.assignee_id = ${filter.assignee}`);
  if (filter.priority) where.push(Prisma.sql`s.priority = ${filter.priority}`);
  if (filter.source) where.push(Prisma.sql`s.source = ${filter.source}`);
  return where;
}

type QueueSqlRow = { id: bigint; status: string; priority: string; source: string; created_at: Date; waiting_since: Date | null; first_response_at: Date | null; resolved_at: Date | null; customer: string; assignee: string | null; subject: string };

function queueRows(where: Prisma.Sql[], limit: number, offset: number): Promise<QueueSqlRow[]> {
  const cond = where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty;
  return prisma.$queryRaw<QueueSqlRow[]>`
    SELECT s.id, s.status, s.priority, s.source, s.created_at, s.waiting_since, s.first_response_at, s.resolved_at,
      c.display_name AS customer, a.display_name AS assignee,
      COALESCE(t.title, ar.title, NULLIF(left(s.message, 120), ''), '') AS subject
    FROM support_tickets s
    JOIN users c ON c.id = s.customer_id
    LEFT JOIN users a ON a.id = s.assignee_id
    LEFT JOIN threads t ON t.id = s.thread_id
    LEFT JOIN articles ar ON ar.id = s.article_id
    ${cond}
    ORDER BY s.waiting_since ASC NULLS LAST, s.id ASC
    LIMIT ${limit} OFFSET ${offset}`;
}

async function statusCounts(): Promise<Record<string, number>> {
  const counts = await prisma.$queryRaw<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM support_tickets GROUP BY status`;
  return Object.fromEntries(counts.map((c) => [c.status, c.n]));
}

function queueRow(r: QueueSqlRow): QueueRow {
  return {
    id: r.id.toString(),
    status: r.status,
    priority: r.priority,
    source: r.source,
    createdAt: r.created_at.toISOString(),
    waitingSince: r.waiting_since?.toISOString() ?? null,
    firstResponseAt: r.first_response_at?.toISOString() ?? null,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    customer: r.customer,
    assignee: r.assignee,
    subject: r.subject,
  };
}

/** Staff members and admins a ticket can be assigned to. */
export function listAssignees(): Promise<Person[]> {
  return prisma.user.findMany({ where: { role: { in: ["staff", "admin"] }, status: "active" }, orderBy: { displayName: "asc" }, select: { id: true, handle: true, displayName: true }, take: 200 });
}

/** The customer's own tickets, newest first. */
export async function customerTickets(userId: string): Promise<{ id: string; status: string; createdAt: string; subject: string }[]> {
  const rows = await prisma.$queryRaw<{ id: bigint; status: string; created_at: Date; subject: string }[]>`
    SELECT s.id, s.status, s.created_at, COALESCE(t.title, ar.title, NULLIF(left(s.message, 120), ''), '') AS subject
    FROM support_tickets s LEFT JOIN threads t ON t.id = s.thread_id LEFT JOIN articles ar ON ar.id = s.article_id
    WHERE s.customer_id = ${userId} ORDER BY s.created_at DESC LIMIT 50`;
  return rows.map((r) => ({ id: r.id.toString(), status: r.status, createdAt: r.created_at.toISOString(), subject: r.subject }));
}

export type ThreadSupport = {
  /** "Did this fix it?" is waiting for the asker. */
  askCheck: boolean;
  /** Offer "Still need help?" to the asker: no answer solved it, or they said it did not. */
  offerHelp: boolean;
  state: "none" | "asked" | "verified" | "unresolved" | "assumed";
  /** Routing steps and tickets of this thread, for staff only. */
  staff: { offeredAt: string | null; escalatedAt: string | null; checkAskedAt: string | null; tickets: { id: string; status: string; source: string }[] } | null;
};

/** What the thread page shows about support (issue 20): to the asker their prompts, to staff every routing step. */
export async function threadSupport(actor: Actor | null, thread: { id: bigint; authorId: string; resolved: boolean }): Promise<ThreadSupport | null> {
  const isAsker = !!actor && actor.status === "active" && actor.id === thread.authorId;
  const work = canWorkTickets(actor);
  if (!isAsker && !work) return null;
  const [r, tickets] = await Promise.all([
    resolutionState(thread.id),
    work ? prisma.supportTicket.findMany({ where: { threadId: thread.id }, orderBy: { id: "asc" }, select: { id: true, status: true, source: true }, take: 20 }) : [],
  ]);
  return {
    askCheck: isAsker && r.state === "asked",
    offerHelp: isAsker && (!thread.resolved || r.state === "unresolved"),
    state: r.state,
    staff: work ? { offeredAt: r.offeredAt, escalatedAt: r.escalatedAt, checkAskedAt: r.checkAskedAt, tickets: tickets.map((t) => ({ id: t.id.toString(), status: t.status, source: t.source })) } : null,
  };
}
