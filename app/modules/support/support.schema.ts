import { z } from "zod";
import { typedText } from "~/modules/content/plain-text.schema.ts";
import { bytesForChars } from "~/modules/content/text-limits.ts";

/** Client-safe contracts of the support desk (issue 20). One schema per form, for the browser and the server. */

export const TICKET_STATUSES = ["new", "open", "waiting", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_SOURCES = ["thread", "article", "search", "ask", "routing"] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];
export const TICKET_OUTCOMES = ["staff_answer", "article", "thread", "duplicate", "not_a_problem"] as const;
export type TicketOutcome = (typeof TICKET_OUTCOMES)[number];
/** Outcomes that name what solved it. */
export const OUTCOMES_WITH_LINK: readonly TicketOutcome[] = ["article", "thread", "duplicate"];

export const TICKET_MESSAGE_MAX = 5000;
export const HELP_MESSAGE_MAX = 2000;

const Id = z.string().trim().regex(/^\d{1,18}$/, "support.errors.badId");

/**
 * A message as typed (issue 16, item 7, ADR 031): refused over its byte cap or with control characters,
 * then NFC, without bidirectional controls and trimmed of invisible characters, so a message of
 * zero-width spaces is empty.
 */
const Text = (max: number) =>
  typedText(bytesForChars(max), "support.errors.tooLong", { multiline: true, characters: "support.errors.controlCharacters" }).pipe(z.string().max(max, "support.errors.tooLong"));

/** A member's id as the database makes them; anything else names nobody. */
const MemberId = /^[A-Za-z0-9_-]{1,40}$/;

/** "Still need help?": where the customer comes from, and what is still wrong (optional). */
export const StillNeedHelpSchema = z
  .object({
    source: z.enum(["thread", "article", "search", "ask"], { message: "support.errors.source" }),
    threadId: Id.optional(),
    articleId: Id.optional(),
    message: Text(HELP_MESSAGE_MAX).default(""),
  })
  .superRefine((v, ctx) => {
    if (v.source === "thread" && !v.threadId) ctx.addIssue({ code: "custom", path: ["threadId"], message: "support.errors.threadMissing" });
    if (v.source === "article" && !v.articleId) ctx.addIssue({ code: "custom", path: ["articleId"], message: "support.errors.articleMissing" });
  });
export type StillNeedHelpInput = z.infer<typeof StillNeedHelpSchema>;

/** A reply (to the customer, or the customer's own) or an internal note. */
export const MessageSchema = z.object({ body: Text(TICKET_MESSAGE_MAX).pipe(z.string().min(1, "support.errors.bodyRequired")) });

export const AssignSchema = z.object({ assigneeId: z.string().trim().max(64).default("").refine((v) => v === "" || MemberId.test(v), "support.errors.assignee") });
export const StatusSchema = z.object({ status: z.enum(TICKET_STATUSES, { message: "support.errors.status" }) });
export const PrioritySchema = z.object({ priority: z.enum(TICKET_PRIORITIES, { message: "support.errors.priority" }) });

/** Solving: the outcome, and the article or thread that solved it (a site path) where the outcome names one. */
export const OutcomeSchema = z
  .object({
    outcome: z.enum(TICKET_OUTCOMES, { message: "support.errors.outcome" }),
    link: z
      .string()
      .trim()
      .max(300, "support.errors.tooLong")
      .regex(/^(\/(kb|questions)\/[^\s]*)?$/, "support.errors.link")
      .default(""),
  })
  .superRefine((v, ctx) => {
    if (OUTCOMES_WITH_LINK.includes(v.outcome) && !v.link) ctx.addIssue({ code: "custom", path: ["link"], message: "support.errors.linkRequired" });
  });

/** Queue filters (query string). Unknown values are ignored rather than refused: it is a read. */
export const QueueFilterSchema = z.object({
  status: z.enum([...TICKET_STATUSES, "active", "all"]).catch("active"),
  assignee: z.string().max(64).regex(MemberId).catch(""),
  priority: z.enum([...TICKET_PRIORITIES, ""]).catch(""),
  source: z.enum([...TICKET_SOURCES, ""]).catch(""),
});
export type QueueFilter = z.infer<typeof QueueFilterSchema>;

/** Category routing delays, in hours (admin form). */
export const RoutingDelaysSchema = z.object({
  expertOfferHours: z.coerce.number({ message: "support.errors.hours" }).int("support.errors.hours").min(1, "support.errors.hours").max(720, "support.errors.hours"),
  escalateAfterHours: z.coerce.number({ message: "support.errors.hours" }).int("support.errors.hours").min(1, "support.errors.hours").max(720, "support.errors.hours"),
});

export const VerdictSchema = z.object({ verdict: z.enum(["yes", "no"], { message: "support.errors.verdict" }) });

/** Publishing a reply from a ticket without a thread: the public question's title and tags (askQuestion checks them fully). */
export const PublishQuestionSchema = z.object({
  title: z.string().trim().min(1, "support.errors.titleRequired").max(150, "support.errors.tooLong"),
  tags: z.string().trim().max(200, "support.errors.tooLong").default("support"),
});
