import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { askQuestion } from "~/modules/questions/ask-question.server.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submissionStep, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { canReplyAsCustomer, canSeeTicket, canWorkTickets } from "./support.policy.ts";
import { AssignSchema, MessageSchema, OutcomeSchema, PrioritySchema, PublishQuestionSchema, StatusSchema } from "./support.schema.ts";

/**
 * What staff and the customer do with a ticket (issue 20). Every use case: parse (400) → load the
 * ticket (a ticket the actor may not see is "not found", 404) → policy (403: a member cannot assign,
 * change status or priority, solve, write or read internal notes, publish) → lock the ticket row
 * (FOR NO KEY UPDATE) → one transaction with the change, its domain event and, for staff actions,
 * its audit row. Times: `waiting_since` is set while the ticket waits for staff (creation, the
 * customer's reply) and cleared by a staff reply; `first_response_at` is the first staff reply;
 * `resolved_at` the moment it was solved.
 */

type TicketRow = { id: bigint; customer_id: string; status: string; priority: string; assignee_id: string | null; thread_id: bigint | null; outcome: string | null };

async function lockTicket(tx: Tx, id: bigint): Promise<TicketRow | null> {
  const [row] = await tx.$queryRaw<TicketRow[]>`
    SELECT id, customer_id, status, priority, assignee_id, thread_id, outcome FROM support_tickets WHERE id = ${id} FOR NO KEY UPDATE`;
  return row ?? null;
}

const NOT_FOUND = "messages.support.ticketMissing";
const STAFF_ONLY = "messages.support.staffOnly";

/** Loads, checks and locks; returns the row or the failure. */
async function loadForStaff(tx: Tx, actor: Actor, id: bigint): Promise<TicketRow | Exclude<Result<never>, { ok: true }>> {
  const row = await lockTicket(tx, id);
  if (!row || !canSeeTicket(actor, { customerId: row.customer_id })) return notFound(NOT_FOUND);
  if (!canWorkTickets(actor)) return forbidden(STAFF_ONLY);
  return row;
}
const isFailure = (v: unknown): v is Exclude<Result<never>, { ok: true }> => typeof v === "object" && v !== null && "ok" in v && (v as { ok: boolean }).ok === false;

const ref = (actor: Actor) => ({ id: actor.id });

/** Takes the ticket (assignee = the actor), or assigns it to another staff member or admin ('' unassigns). A new ticket becomes open. */
export async function assignTicket(actor: Actor, ticketId: bigint, input: unknown): Promise<Result<{ assigneeId: string | null }>> {
  const parsed = AssignSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  const to = parsed.data.assigneeId || null;
  return prisma.$transaction(async (tx): Promise<Result<{ assigneeId: string | null }>> => {
    const row = await loadForStaff(tx, actor, ticketId);
    if (isFailure(row)) return row;
    if (to) {
      const assignee = await tx.user.findUnique({ where: { id: to }, select: { role: true, status: true } });
      if (!assignee || assignee.status !== "active" || (assignee.role !== "staff" && assignee.role !== "admin")) return invalid({ assigneeId: ["support.errors.assignee"] });
    }
    if (row.assignee_id === to) return ok({ assigneeId: to });
    await tx.$executeRaw`UPDATE support_tickets SET assignee_id = ${to}, status = CASE WHEN status = 'new' THEN 'open' ELSE status END, updated_at = now() WHERE id = ${ticketId}`;
    await recordEvent(tx, { type: "ticket.updated", actorId: actor.id, subjectType: "ticket", subjectId: ticketId.toString(), payload: { change: "assignee", from: row.assignee_id, to } });
    await recordAudit(tx, { actor: ref(actor), action: "ticket.assigned", targetType: "ticket", targetId: ticketId, before: { assigneeId: row.assignee_id }, after: { assigneeId: to } });
    return ok({ assigneeId: to });
  });
}

/** new, open, waiting or closed. Solving goes through solveTicket (it needs an outcome). Re-opening clears the outcome. */
export async function changeTicketStatus(actor: Actor, ticketId: bigint, input: unknown): Promise<Result<{ status: string }>> {
  const parsed = StatusSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  const to = parsed.data.status;
  if (to === "solved") return invalid({ status: ["support.errors.solveWithOutcome"] });
  return prisma.$transaction(async (tx): Promise<Result<{ status: string }>> => {
    const row = await loadForStaff(tx, actor, ticketId);
    if (isFailure(row)) return row;
    if (row.status === to) return ok({ status: to });
    await tx.$executeRaw`
      UPDATE support_tickets SET status = ${to}, updated_at = now(),
        closed_at = CASE WHEN ${to} = 'closed' THEN now() ELSE NULL END,
        resolved_at = CASE WHEN ${to} = 'closed' THEN resolved_at ELSE NULL END,
        outcome = CASE WHEN ${to} = 'closed' THEN outcome ELSE NULL END,
        outcome_link = CASE WHEN ${to} = 'closed' THEN outcome_link ELSE NULL END,
        waiting_since = CASE WHEN ${to} IN ('new', 'open') THEN COALESCE(waiting_since, now()) ELSE NULL END
      WHERE id = ${ticketId}`;
    await recordEvent(tx, { type: "ticket.updated", actorId: actor.id, subjectType: "ticket", subjectId: ticketId.toString(), payload: { change: "status", from: row.status, to } });
    await recordAudit(tx, { actor: ref(actor), action: "ticket.status_changed", targetType: "ticket", targetId: ticketId, before: { status: row.status }, after: { status: to } });
    return ok({ status: to });
  });
}

export async function changeTicketPriority(actor: Actor, ticketId: bigint, input: unknown): Promise<Result<{ priority: string }>> {
  const parsed = PrioritySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  const to = parsed.data.priority;
  return prisma.$transaction(async (tx): Promise<Result<{ priority: string }>> => {
    const row = await loadForStaff(tx, actor, ticketId);
    if (isFailure(row)) return row;
    if (row.priority === to) return ok({ priority: to });
    await tx.$executeRaw`UPDATE support_tickets SET priority = ${to}, updated_at = now() WHERE id = ${ticketId}`;
    await recordEvent(tx, { type: "ticket.updated", actorId: actor.id, subjectType: "ticket", subjectId: ticketId.toString(), payload: { change: "priority", from: row.priority, to } });
    await recordAudit(tx, { actor: ref(actor), action: "ticket.priority_changed", targetType: "ticket", targetId: ticketId, before: { priority: row.priority }, after: { priority: to } });
    return ok({ priority: to });
  });
}

/**
 * Solved, with an outcome (and the article or thread that solved it). The resolution time is now. A repeat of
 * the same submission (a double click, an API retry with its Idempotency-Key) solves once.
 */
export async function solveTicket(actor: Actor, ticketId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ outcome: string }>> {
  const again = await earlierAnswer<{ outcome: string }>(submission);
  if (again) return again;
  const parsed = OutcomeSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  const { outcome, link } = parsed.data;
  return prisma.$transaction(async (tx): Promise<Result<{ outcome: string }>> => {
    const row = await loadForStaff(tx, actor, ticketId);
    if (isFailure(row)) return row;
    if (row.status === "closed") return conflict("messages.support.ticketClosed");
    return submitOnce(tx, submission, async () => {
      await tx.$executeRaw`
        UPDATE support_tickets SET status = 'solved', outcome = ${outcome}, outcome_link = ${link || null}, resolved_at = now(), waiting_since = NULL, updated_at = now()
        WHERE id = ${ticketId}`;
      await recordEvent(tx, { type: "ticket.updated", actorId: actor.id, subjectType: "ticket", subjectId: ticketId.toString(), payload: { change: "outcome", from: row.outcome, to: outcome } });
      await recordAudit(tx, { actor: ref(actor), action: "ticket.solved", targetType: "ticket", targetId: ticketId, before: { status: row.status, outcome: row.outcome }, after: { status: "solved", outcome, link } });
      return ok({ outcome });
    });
  });
}

/**
 * A message on a ticket. `reply` (staff → customer: the ticket now waits on the customer, the first
 * response time is set, the customer is notified through ticket.replied), `note` (staff only, never
 * shown to the customer) or `customer` (the customer's own reply until the ticket is closed: it waits
 * on staff again, and a solved ticket re-opens). A repeat of the same form submission writes once.
 */
export async function addTicketMessage(
  actor: Actor,
  ticketId: bigint,
  kind: "reply" | "note" | "customer",
  input: unknown,
  submission: Submission = NO_SUBMISSION_KEY,
): Promise<Result<{ messageId: bigint }>> {
  const again = await earlierAnswer<{ messageId: bigint }>(submission);
  if (again) return again;
  const parsed = MessageSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  const { body } = parsed.data;
  return prisma.$transaction(async (tx): Promise<Result<{ messageId: bigint }>> => {
    const row = await lockTicket(tx, ticketId);
    if (!row || !canSeeTicket(actor, { customerId: row.customer_id })) return notFound(NOT_FOUND);
    if (kind === "customer") {
      if (!canReplyAsCustomer(actor, { customerId: row.customer_id, status: row.status })) {
        return row.status === "closed" && actor.id === row.customer_id ? conflict("messages.support.ticketClosedAskAgain") : forbidden("messages.support.customerOnly");
      }
    } else if (!canWorkTickets(actor)) return forbidden(STAFF_ONLY);
    return submitOnce(tx, submission, async () => {
      const [message] = await tx.$queryRaw<{ id: bigint }[]>`
        INSERT INTO ticket_messages (ticket_id, author_id, kind, body) VALUES (${ticketId}, ${actor.id}, ${kind}, ${body}) RETURNING id`;
      const messageId = message!.id;
      if (kind === "reply") {
        await tx.$executeRaw`
          UPDATE support_tickets SET status = CASE WHEN status IN ('new', 'open') THEN 'waiting' ELSE status END,
            first_response_at = COALESCE(first_response_at, now()), waiting_since = NULL, updated_at = now(),
            assignee_id = COALESCE(assignee_id, ${actor.id})
          WHERE id = ${ticketId}`;
        await recordEvent(tx, { type: "ticket.replied", actorId: actor.id, subjectType: "ticket", subjectId: ticketId.toString(), payload: { messageId: messageId.toString(), customerId: row.customer_id } });
      } else if (kind === "customer") {
        await tx.$executeRaw`
          UPDATE support_tickets SET status = CASE WHEN status = 'new' THEN 'new' ELSE 'open' END, waiting_since = COALESCE(waiting_since, now()),
            resolved_at = NULL, outcome = NULL, outcome_link = NULL, updated_at = now()
          WHERE id = ${ticketId}`;
        await recordEvent(tx, { type: "ticket.customer_replied", actorId: actor.id, subjectType: "ticket", subjectId: ticketId.toString(), payload: { messageId: messageId.toString() } });
      }
      return ok({ messageId });
    });
  });
}

/** Paragraphs of plain text as the Tiptap document the answer form posts. */
function plainTextDoc(text: string): string {
  const paragraphs = text.split(/\n{2,}|\r\n\r\n/).map((p) => p.trim()).filter(Boolean);
  return JSON.stringify({ type: "doc", content: paragraphs.map((p) => ({ type: "paragraph", content: [{ type: "text", text: p }] })) });
}

/** How long a publication's claims are kept: a repeat after that finds the reply marked published. */
const PUBLICATION_CLAIM_MS = 24 * 3600_000;

/**
 * "Publish as staff answer": copies a staff reply into the public thread as an answer (with the Staff
 * mark, through postAnswer and its rules), so the next customer finds it. Once per reply. A ticket
 * without a thread (from an article, search or the ask page) gets one first: staff give the public
 * question's title and tags (`input`), the question is asked in the staff member's name through
 * askQuestion (the customer's own words are never published), in the article's category or the first
 * one, and the ticket is tied to it. A note or a customer message is a conflict. Events: question.asked
 * (askQuestion), answer.posted (postAnswer), ticket.reply_published. Once per reply, not per submission
 * (ADR 030): the question claims a key of the ticket, the answer and the publication keys of the message,
 * so a double click, a retried API call or two staff members at once publish one answer (in one new
 * question) and every copy gets the first answer.
 */
export async function publishReplyAsAnswer(actor: Actor, ticketId: bigint, messageId: bigint, input: unknown = {}, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ postId: bigint; threadId: bigint }>> {
  if (!submission.ok) return submission;
  const message = await prisma.ticketMessage.findFirst({
    where: { id: messageId, ticketId },
    select: { kind: true, body: true, publishedPostId: true, ticket: { select: { customerId: true, threadId: true, articleId: true } } },
  });
  if (!message || !canSeeTicket(actor, { customerId: message.ticket.customerId })) return notFound(NOT_FOUND);
  if (!canWorkTickets(actor)) return forbidden(STAFF_ONLY);
  if (message.kind !== "reply") return conflict("messages.support.replyOnly");
  let threadId = message.ticket.threadId;
  if (message.publishedPostId !== null && threadId !== null) return ok({ postId: message.publishedPostId, threadId });
  // Once per reply, whoever sends it: the steps claim keys made from the ticket and the message, not from the
  // form or the Idempotency-Key, so two staff members (or two API calls) publishing at the same moment share
  // one question per ticket and one answer per reply (the second waits for the first's claim, then gets its
  // result). Repeats after the first committed are answered just above; a failed step drops its claim.
  const claim = (key: string): Submission => ok({ key, expiresAt: new Date(Date.now() + PUBLICATION_CLAIM_MS) });
  const once = claim(`ticket-reply-publication:${messageId}`);
  if (threadId === null) {
    const parsed = PublishQuestionSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
    const article = message.ticket.articleId ? await prisma.article.findUnique({ where: { id: message.ticket.articleId }, select: { categoryId: true } }) : null;
    const category = article ?? (await prisma.category.findFirst({ where: { archivedAt: null }, orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true } }).then((c) => (c ? { categoryId: c.id } : null)));
    if (!category) return conflict("messages.support.noCategory");
    const asked = await askQuestion(actor.id, { title: parsed.data.title, categoryId: category.categoryId, tags: parsed.data.tags, body: plainTextDoc(parsed.data.title) }, claim(`ticket-thread:${ticketId}`));
    if (!asked.ok) return asked;
    threadId = asked.value.threadId;
    await prisma.supportTicket.updateMany({ where: { id: ticketId, threadId: null }, data: { threadId } });
  }
  const posted = await postAnswer(actor.id, threadId, { body: plainTextDoc(message.body) }, submissionStep(once, "answer"));
  if (!posted.ok) return posted.kind === "invalid" ? invalid({ body: Object.values(posted.fieldErrors).flat() }) : posted;
  const postId = posted.value.answerId;
  const published = threadId;
  return prisma.$transaction((tx) => submitOnce(tx, once, async () => {
    await tx.$executeRaw`UPDATE ticket_messages SET published_post_id = ${postId} WHERE id = ${messageId} AND published_post_id IS NULL`;
    await recordEvent(tx, { type: "ticket.reply_published", actorId: actor.id, subjectType: "ticket", subjectId: ticketId.toString(), payload: { postId: postId.toString(), threadId: published.toString() } });
    await recordAudit(tx, { actor: ref(actor), action: "ticket.reply_published", targetType: "ticket", targetId: ticketId, after: { messageId: messageId.toString(), postId: postId.toString(), threadId: published.toString() } });
    return ok({ postId, threadId: published });
  }));
}
