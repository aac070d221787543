import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { canAwardBonus } from "./reputation.policy.ts";
import { BonusSchema } from "./reputation.schema.ts";

/**
 * A moderator, staff member or admin awards (or, with negative points, takes) reputation with a
 * reason. The use case records reputation.bonus_awarded; the ledger handler appends the entry
 * (clamped at the floor of 1) and moves the cached reputation, idempotently. Never to yourself. A
 * repeat of the same form submission, even at the same moment, awards nothing more (ADR 030).
 * Audit: reputation.bonus_granted with the points and the reason.
 */
export async function awardBonus(actorId: string, targetUserId: string, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ eventId: bigint }>> {
  const again = await earlierAnswer<{ eventId: bigint }>(submission);
  if (again) return again;
  const parsed = BonusSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const actor = await loadMember(actorId);
  const target = await prisma.user.findUnique({ where: { id: targetUserId }, select: { id: true } });
  if (!target) return notFound("messages.common.noSuchMember");
  if (!canAwardBonus(actor, target)) return forbidden("messages.reputation.bonusForbidden");
  return prisma.$transaction((tx) =>
    submitOnce(tx, submission, async () => {
      const eventId = await recordEvent(tx, {
        type: "reputation.bonus_awarded",
        actorId,
        subjectType: "user",
        subjectId: target.id,
        payload: { userId: target.id, points: parsed.data.points, reason: parsed.data.reason },
      });
      await recordAudit(tx, { actor: { id: actorId }, action: "reputation.bonus_granted", targetType: "user", targetId: target.id, reason: parsed.data.reason, after: { points: parsed.data.points } });
      return ok({ eventId });
    }),
  );
}
