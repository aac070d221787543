import { Prisma } from "~/generated/prisma/client.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { VerdictSchema } from "./support.schema.ts";

/**
 * Verified resolution (issue 20, ADR 059). Some days after an answer is accepted (CHECK_AFTER_DAYS,
 * default 3) the asker is asked once "Did this fix it?" (a job; tests pass `now`): on the thread, as an
 * in-app notice and, by their notification settings, by e-mail. Yes marks the thread "verified
 * solution"; No keeps the acceptance but shows the thread unresolved and offers "Still need help?".
 * A resolution counts as verified when the asker said yes, or did not answer and opened no ticket on
 * the same thread within VERIFY_WINDOW_DAYS (14) of the acceptance: `verifiedResolutionSql` is the one
 * copy of that rule (the dashboard, docs/metrics.md and the thread page use it).
 */
export const CHECK_AFTER_DAYS = 3;
export const VERIFY_WINDOW_DAYS = 14;
const BATCH = 500;

/** Asks the asker of every thread accepted CHECK_AFTER_DAYS ago (not earlier than the window) once. */
export async function askResolutionChecks(now: Date = new Date(), afterDays = CHECK_AFTER_DAYS): Promise<number> {
  const due = new Date(now.getTime() - afterDays * 24 * 3600_000);
  const oldest = new Date(now.getTime() - (afterDays + VERIFY_WINDOW_DAYS) * 24 * 3600_000);
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ thread_id: bigint; answer_id: bigint; author_id: string }[]>`
      WITH due AS (
        SELECT t.id, t.accepted_answer_id, t.author_id FROM threads t
        WHERE t.accepted_answer_id IS NOT NULL AND t.resolved_at <= ${due} AND t.resolved_at > ${oldest}
          AND t.deleted_at IS NULL AND t.hidden_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM thread_followups f WHERE f.thread_id = t.id AND f.check_asked_at IS NOT NULL)
        ORDER BY t.resolved_at LIMIT ${BATCH}
      ),
      ins AS (
        INSERT INTO thread_followups (thread_id, check_asked_at) SELECT id, ${now} FROM due
        ON CONFLICT (thread_id) DO UPDATE SET check_asked_at = EXCLUDED.check_asked_at WHERE thread_followups.check_asked_at IS NULL
        RETURNING thread_id
      )
      SELECT ins.thread_id, due.accepted_answer_id AS answer_id, due.author_id FROM ins JOIN due ON due.id = ins.thread_id`;
    for (const r of rows) {
      await recordEvent(tx, {
        type: "resolution.check_requested",
        actorId: null,
        subjectType: "thread",
        subjectId: r.thread_id.toString(),
        payload: { answerId: r.answer_id.toString(), askerId: r.author_id },
      });
    }
    return rows.length;
  });
}

/**
 * The asker's answer to "Did this fix it?": once, only by the asker, only after they were asked and
 * while an answer is accepted. Event: resolution.answered. Once per submission (ADR 030): a copy of the
 * same form gets the first answer, not "You already answered".
 */
export async function answerResolutionCheck(actor: Actor | null, threadId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ verdict: "yes" | "no" }>> {
  const again = await earlierAnswer<{ verdict: "yes" | "no" }>(submission);
  if (again) return again;
  const parsed = VerdictSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  const { verdict } = parsed.data;
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<{ verdict: "yes" | "no" }>> => {
    const [row] = await tx.$queryRaw<{ author_id: string; accepted_answer_id: bigint | null; check_asked_at: Date | null; verdict: string | null }[]>`
      SELECT t.author_id, t.accepted_answer_id, f.check_asked_at, f.verdict
      FROM threads t LEFT JOIN thread_followups f ON f.thread_id = t.id
      WHERE t.id = ${threadId} AND t.deleted_at IS NULL AND t.hidden_at IS NULL
      FOR NO KEY UPDATE OF t`;
    if (!row) return notFound("messages.common.questionMissing");
    if (!actor || actor.status !== "active" || actor.id !== row.author_id) return forbidden("messages.support.askerOnly");
    if (!row.check_asked_at || row.accepted_answer_id === null) return conflict("messages.support.nothingToConfirm");
    if (row.verdict) return conflict("messages.support.alreadyAnswered");
    await tx.$executeRaw`UPDATE thread_followups SET verdict = ${verdict}, verdict_at = now() WHERE thread_id = ${threadId}`;
    await recordEvent(tx, { type: "resolution.answered", actorId: actor.id, subjectType: "thread", subjectId: threadId.toString(), payload: { verdict } });
    return ok({ verdict });
  }));
}

/**
 * SQL condition, for thread alias `t` and follow-up alias `f` (LEFT JOIN thread_followups f), at
 * instant `now`: the thread's current resolution counts as verified.
 */
export function verifiedResolutionSql(now: Date): Prisma.Sql {
  return Prisma.sql`(t.resolved_at IS NOT NULL AND (f.verdict = 'yes' OR (f.verdict IS NULL
    AND t.resolved_at <= ${now}::timestamptz - make_interval(days => ${VERIFY_WINDOW_DAYS})
    AND NOT EXISTS (SELECT 1 FROM support_tickets s WHERE s.thread_id = t.id AND s.customer_id = t.author_id
      AND s.created_at >= t.resolved_at AND s.created_at < t.resolved_at + make_interval(days => ${VERIFY_WINDOW_DAYS})))))`;
}

export type ResolutionState = "none" | "asked" | "verified" | "unresolved" | "assumed";

/** What the thread page shows: verified (yes, or 14 days of silence and no ticket), unresolved (no), asked (waiting), none. */
export async function resolutionState(threadId: bigint, now = new Date()): Promise<{ state: ResolutionState; checkAskedAt: string | null; offeredAt: string | null; escalatedAt: string | null }> {
  const [row] = await prisma.$queryRaw<{ verified: boolean; verdict: string | null; check_asked_at: Date | null; offered_at: Date | null; escalated_at: Date | null; resolved: boolean }[]>`
    SELECT ${verifiedResolutionSql(now)} AS verified, f.verdict, f.check_asked_at, f.offered_at, f.escalated_at, t.resolved_at IS NOT NULL AS resolved
    FROM threads t LEFT JOIN thread_followups f ON f.thread_id = t.id WHERE t.id = ${threadId}`;
  if (!row) return { state: "none", checkAskedAt: null, offeredAt: null, escalatedAt: null };
  const state: ResolutionState = !row.resolved
    ? "none"
    : row.verdict === "yes"
      ? "verified"
      : row.verdict === "no"
        ? "unresolved"
        : row.verified
          ? "assumed"
          : row.check_asked_at
            ? "asked"
            : "none";
  return { state, checkAskedAt: row.check_asked_at?.toISOString() ?? null, offeredAt: row.offered_at?.toISOString() ?? null, escalatedAt: row.escalated_at?.toISOString() ?? null };
}
