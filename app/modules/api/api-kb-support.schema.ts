import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { PRESETS } from "~/modules/metrics/metrics.schema.ts";
import { TICKET_OUTCOMES, TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES } from "~/modules/support/support.schema.ts";
import { decodeKeysetCursor } from "./keyset-cursor.ts";

// The API's contracts for the knowledge base, the staff dashboard and tickets (issue 22, ADR 063). Like
// api.schema.ts, they validate each request before its use case validates it again with the domain's rules,
// and the OpenAPI document is generated from them.
extendZodWithOpenApi(z);

const Cursor = z
  .string()
  .max(300)
  .refine((raw) => decodeKeysetCursor(raw) !== null, "messages.api.badCursor")
  .optional()
  .openapi({ description: "nextCursor of the previous page" });

const Person = z.object({ id: z.string(), handle: z.string(), displayName: z.string() }).openapi("StaffPerson");

// Articles

export const ListArticlesQuery = z.object({
  status: z.enum(["published", "draft", "archived", "all"]).default("published").openapi({ description: "Anything but published needs a staff or moderator key (403 otherwise)" }),
  category: z.string().max(100).regex(/^[a-z0-9-]+$/, "Give a category's slug").optional().openapi({ description: "A category's slug" }),
  cursor: Cursor,
});

const ArticleListItem = z
  .object({
    id: z.string(), title: z.string(), url: z.string(), status: z.enum(["draft", "published", "archived"]),
    category: z.object({ slug: z.string(), name: z.string() }), updatedAt: z.string().datetime(), publishedAt: z.string().datetime().nullable(), viewCount: z.number().int(),
  })
  .openapi("ArticleListItem");
export const ArticleList = z.object({ items: z.array(ArticleListItem), nextCursor: z.string().nullable() }).openapi("ArticleList");

export const Article = z
  .object({
    id: z.string(), title: z.string(), url: z.string(), status: z.enum(["draft", "published", "archived"]), bodyHtml: z.string(),
    category: z.object({ slug: z.string(), name: z.string() }), tags: z.array(z.string()),
    owner: z.object({ handle: z.string(), displayName: z.string() }).nullable(),
    publishedAt: z.string().datetime().nullable(), updatedAt: z.string().datetime(), reviewBy: z.string().nullable(), revisionCount: z.number().int(), viewCount: z.number().int(),
    sources: z.array(z.object({ id: z.string(), title: z.string(), url: z.string(), resolved: z.boolean() })),
    helpfulness: z.object({ yes: z.number().int(), no: z.number().int() }).nullable().openapi({ description: "Readers' answers to \"Was this helpful?\": staff and moderators only" }),
  })
  .openapi("Article");

export const ArticleStatusBody = z.object({ status: z.enum(["published", "archived"]) }).openapi("ChangeArticleStatus");
export const ArticleStatusResult = z.object({ status: z.enum(["published", "archived"]) }).openapi("ArticleStatusResult");

// The dashboard

export const DashboardQuery = z
  .object({
    range: z.enum(PRESETS).default("30").openapi({ description: "The last 7, 30 or 90 days (UTC), or custom with from and to" }),
    from: z.string().max(10).optional().openapi({ example: "2026-11-01" }),
    to: z.string().max(10).optional().openapi({ example: "2026-11-30" }),
    category: z.string().max(100).optional().openapi({ description: "A category's slug" }),
  })
  .openapi({ description: "Checked by the dashboard's own rules (resolveScope): a bad range or an unknown category is a 400 with field errors" });

const Figure = z
  .object({ key: z.string(), kind: z.enum(["count", "rate", "duration"]), value: z.number().nullable(), previous: z.number().nullable().openapi({ description: "The same figure over the previous period of the same length" }) })
  .openapi("DashboardFigure", { description: "Rates are 0..1, durations in seconds (definitions: docs/metrics.md)" });
const SeriesPoint = z
  .object({ bucket: z.string(), asked: z.number(), resolutions: z.number(), searchSessions: z.number(), deflectedSessions: z.number(), deflection: z.number().nullable(), ttfaMedianHours: z.number().nullable() })
  .openapi("DashboardSeriesPoint");
const Percentiles = z.object({ median: z.number().nullable(), p90: z.number().nullable() });
export const Dashboard = z
  .object({
    range: z.object({ from: z.string(), to: z.string(), days: z.number().int(), previousFrom: z.string(), previousTo: z.string(), bucket: z.enum(["day", "week"]), category: z.string().nullable() }),
    figures: z.array(Figure),
    series: z.array(SeriesPoint),
    unanswered: z.object({ total: z.number().int(), items: z.array(z.object({ id: z.string(), title: z.string(), url: z.string(), askedAt: z.string(), category: z.string() })) }),
    support: z.object({
      tickets: z.number().int(), questions: z.number().int(), escalationRate: z.number().nullable(),
      bySource: z.array(z.object({ source: z.string(), outcome: z.string(), tickets: z.number().int() })),
      firstResponse: Percentiles, resolution: Percentiles,
      verified: z.object({ decided: z.number().int(), verified: z.number().int(), rate: z.number().nullable() }),
      deflection: z.object({ journeys: z.number().int(), deflected: z.number().int(), rate: z.number().nullable() }),
    }),
  })
  .openapi("Dashboard");

// Tickets

export const ListTicketsQuery = z.object({
  status: z.enum([...TICKET_STATUSES, "active", "all"]).default("active").openapi({ description: "active = not solved or closed" }),
  assignee: z.union([z.enum(["me", "none"]), z.string().regex(/^[a-z0-9]{20,40}$/, "messages.api.assignee")]).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  source: z.enum(TICKET_SOURCES).optional(),
  cursor: Cursor,
});

const TicketListItem = z
  .object({
    id: z.string(), url: z.string(), status: z.string(), priority: z.string(), source: z.string(), subject: z.string(), customer: z.string(), assignee: z.string().nullable(),
    createdAt: z.string().datetime(), waitingSince: z.string().datetime().nullable(), firstResponseAt: z.string().datetime().nullable(), resolvedAt: z.string().datetime().nullable(),
  })
  .openapi("TicketListItem");
export const TicketList = z
  .object({ items: z.array(TicketListItem), counts: z.record(z.number().int()).openapi({ description: "Tickets per status" }), nextCursor: z.string().nullable() })
  .openapi("TicketList", { description: "Waiting longest for staff first (the /support queue)" });

const JourneyStep = z
  .object({ at: z.string(), kind: z.string(), label: z.string(), count: z.number().nullable(), url: z.string().nullable(), detail: z.string().nullable(), run: z.number().int() })
  .openapi("JourneyStep");
export const Ticket = z
  .object({
    id: z.string(), url: z.string(), status: z.string(), priority: z.string(), source: z.string(), message: z.string(), outcome: z.string().nullable(), outcomeLink: z.string().nullable(),
    createdAt: z.string().datetime(), waitingSince: z.string().datetime().nullable(), firstResponseAt: z.string().datetime().nullable(), resolvedAt: z.string().datetime().nullable(),
    customer: Person, assignee: Person.nullable(),
    thread: z.object({ id: z.string(), title: z.string(), url: z.string() }).nullable(),
    article: z.object({ id: z.string(), title: z.string(), url: z.string() }).nullable(),
    messages: z.array(z.object({ id: z.string(), kind: z.enum(["customer", "reply", "note"]), body: z.string(), createdAt: z.string().datetime(), author: Person, publishedPostId: z.string().nullable() })),
    journey: z.array(JourneyStep).nullable().openapi({ description: "The customer's last 7 days before the ticket: staff only" }),
  })
  .openapi("Ticket", { description: "Internal notes and the journey are left out for the customer" });

export const TicketMessageBody = z
  .object({ kind: z.enum(["reply", "note", "customer"]).openapi({ description: "reply and note: staff; customer: the ticket's customer" }), body: z.string().max(20_000) })
  .openapi("TicketMessage");
export const AssignTicketBody = z.object({ assigneeId: z.string().max(64).nullable().openapi({ description: "A staff member's or admin's id; null unassigns" }) }).openapi("AssignTicket");
export const TicketStatusBody = z.object({ status: z.enum(TICKET_STATUSES).exclude(["solved"]) }).openapi("ChangeTicketStatus", { description: "Solving goes through /solve (it needs an outcome)" });
export const TicketPriorityBody = z.object({ priority: z.enum(TICKET_PRIORITIES) }).openapi("ChangeTicketPriority");
export const SolveTicketBody = z.object({ outcome: z.enum(TICKET_OUTCOMES), link: z.string().max(300).optional().openapi({ description: "The /kb/… or /questions/… path that solved it" }) }).openapi("SolveTicket");
export const PublishReplyBody = z
  .object({
    messageId: z.string().regex(/^[1-9]\d{0,17}$/, "messages.api.messageId"),
    title: z.string().max(300).optional().openapi({ description: "The public question's title, for a ticket without a thread" }),
    tags: z.string().max(300).optional(),
  })
  .openapi("PublishReply", { description: "Copies a staff reply into the public thread as an answer with the Staff mark" });
export const PublishedReply = z.object({ postId: z.string(), threadId: z.string(), url: z.string() }).openapi("PublishedReply");
