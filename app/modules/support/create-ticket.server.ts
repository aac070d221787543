import { recordEvent } from "~/modules/events/record-event.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { canAskForHelp } from "./support.policy.ts";
import { StillNeedHelpSchema, type TicketSource } from "./support.schema.ts";

type NewTicket = { customerId: string; visitorId: string | null; source: TicketSource; threadId: bigint | null; articleId: bigint | null; message: string; actorId: string | null };

/** Writes a ticket and its ticket.created event in the caller's transaction (also used by routing). */
export async function insertTicket(tx: Tx, t: NewTicket): Promise<bigint> {
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO support_tickets (customer_id, visitor_id, source, thread_id, article_id, message, waiting_since)
    VALUES (${t.customerId}, ${t.visitorId}, ${t.source}, ${t.threadId}, ${t.articleId}, ${t.message}, now())
    RETURNING id`;
  await recordEvent(tx, {
    type: "ticket.created",
    actorId: t.actorId,
    subjectType: "ticket",
    subjectId: row!.id.toString(),
    payload: { source: t.source, customerId: t.customerId, threadId: t.threadId?.toString() ?? null, articleId: t.articleId?.toString() ?? null },
  });
  return row!.id;
}

/**
 * "Still need help?" (issue 20): a signed-in customer asks for a human from a thread, an article, the
 * search results or the ask page, with an optional message. The ticket keeps only where it came from
 * and the browser's visitor id: the journey of the last 7 days is derived when the ticket is read
 * (journey-queries.server.ts), so nothing is re-typed or copied. The thread must be visible and the
 * article published (else not found). A repeat of the same form submission, even at the same moment,
 * creates one ticket (ADR 030). Event: ticket.created.
 */
export async function createTicket(actor: Actor | null, visitorId: string | null, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ ticketId: bigint }>> {
  const again = await earlierAnswer<{ ticketId: bigint }>(submission);
  if (again) return again;
  const parsed = StillNeedHelpSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  if (!canAskForHelp(actor)) return forbidden("messages.support.signIn");
  const { source, message } = parsed.data;
  const threadId = source === "thread" && parsed.data.threadId ? BigInt(parsed.data.threadId) : null;
  const articleId = source === "article" && parsed.data.articleId ? BigInt(parsed.data.articleId) : null;
  if (threadId !== null && (await prisma.thread.count({ where: { id: threadId, deletedAt: null, hiddenAt: null } })) === 0) return notFound("messages.common.questionMissing");
  if (articleId !== null && (await prisma.article.count({ where: { id: articleId, status: "published" } })) === 0) return notFound("messages.common.articleMissing");
  return prisma.$transaction((tx) =>
    submitOnce(tx, submission, async () => ok({ ticketId: await insertTicket(tx, { customerId: actor!.id, visitorId, source, threadId, articleId, message, actorId: actor!.id }) })),
  );
}
