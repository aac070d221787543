import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { insertTicket } from "./create-ticket.server.ts";

/**
 * Tiered routing (issue 20, ADR 058). A job runs this every ten minutes with the current time; tests
 * pass their own `now` (the controllable clock). Two steps, each once per question, each an event:
 * 1. An unanswered question (no answer, not hidden or deleted) older than its category's first delay
 *    (`expert_offer_hours`, default 12) is offered to the category's experts (the holders of the
 *    category-expert badge, users.expert_category_ids): event question.offered_to_experts, which the
 *    notifications turn into an "expert_offer" notice for each of them.
 * 2. Still unanswered `escalate_after_hours` (default 24) after the offer, it becomes a ticket of its
 *    asker with source "routing": events ticket.created and question.escalated. A partial unique
 *    index allows one routing ticket per question however often (or concurrently) this runs.
 * Only questions asked in the last 14 days are considered, so a first run on an old forum does not
 * flood the experts and the queue with years of unanswered questions. Each run handles at most 500
 * questions per step (the next run continues).
 */
export const ROUTING_HORIZON_DAYS = 14;
const BATCH = 500;

export async function routeUnansweredQuestions(now: Date = new Date()): Promise<{ offered: number; escalated: number }> {
  const horizon = new Date(now.getTime() - ROUTING_HORIZON_DAYS * 24 * 3600_000);
  const offered = await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ thread_id: bigint; category_id: number; hours: number }[]>`
      WITH due AS (
        SELECT t.id, t.category_id, c.expert_offer_hours AS hours
        FROM threads t JOIN categories c ON c.id = t.category_id
        WHERE t.created_at >= ${horizon} AND t.created_at <= ${now}::timestamptz - make_interval(hours => c.expert_offer_hours)
          AND t.answer_count = 0 AND t.deleted_at IS NULL AND t.hidden_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM thread_followups f WHERE f.thread_id = t.id AND f.offered_at IS NOT NULL)
        ORDER BY t.created_at LIMIT ${BATCH}
      ),
      ins AS (
        INSERT INTO thread_followups (thread_id, offered_at) SELECT id, ${now} FROM due
        ON CONFLICT (thread_id) DO UPDATE SET offered_at = EXCLUDED.offered_at WHERE thread_followups.offered_at IS NULL
        RETURNING thread_id
      )
      SELECT ins.thread_id, due.category_id, due.hours FROM ins JOIN due ON due.id = ins.thread_id`;
    for (const r of rows) {
      await recordEvent(tx, { type: "question.offered_to_experts", actorId: null, subjectType: "thread", subjectId: r.thread_id.toString(), payload: { categoryId: r.category_id, afterHours: r.hours } });
    }
    return rows.length;
  });

  const escalated = await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ thread_id: bigint; author_id: string; hours: number }[]>`
      WITH due AS (
        SELECT t.id, t.author_id, c.escalate_after_hours AS hours
        FROM thread_followups f JOIN threads t ON t.id = f.thread_id JOIN categories c ON c.id = t.category_id
        WHERE f.offered_at IS NOT NULL AND f.escalated_at IS NULL AND t.created_at >= ${horizon}
          AND f.offered_at <= ${now}::timestamptz - make_interval(hours => c.escalate_after_hours)
          AND t.answer_count = 0 AND t.deleted_at IS NULL AND t.hidden_at IS NULL
        ORDER BY f.offered_at LIMIT ${BATCH}
        FOR NO KEY UPDATE OF f SKIP LOCKED
      )
      UPDATE thread_followups f SET escalated_at = ${now} FROM due WHERE f.thread_id = due.id AND f.escalated_at IS NULL
      RETURNING f.thread_id, due.author_id, due.hours`;
    for (const r of rows) {
      const ticketId = await insertTicket(tx, { customerId: r.author_id, visitorId: null, source: "routing", threadId: r.thread_id, articleId: null, message: "", actorId: null });
      await recordEvent(tx, { type: "question.escalated", actorId: null, subjectType: "thread", subjectId: r.thread_id.toString(), payload: { ticketId: ticketId.toString(), afterHours: r.hours } });
    }
    return rows.length;
  });
  return { offered, escalated };
}
