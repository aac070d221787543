import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import type { Actor, Role } from "./roles.ts";
import { endAllSessions } from "./sessions.server.ts";
import { canSuspend } from "./users.policy.ts";
import { SuspendSchema } from "./users.schema.ts";

export type Restriction = { mode: "suspend" | "silence"; suspend: boolean; reason: string; days: number | null };
export type SuspensionResult = { userId: string; suspended: boolean; mode: "suspend" | "silence"; until: string | null };

type LockedUser = { id: string; role: Role; status: "active" | "suspended"; suspended_until: Date | null; suspension_reason: string; silenced_at: Date | null; silenced_until: Date | null; silence_reason: string };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Suspends, silences or lifts either, in the caller's transaction, for a target the caller has already
 * checked with canSuspend (setSuspension, the review queue). A suspension ends every session of the
 * account at once and refuses sign-in until its end (`days`, or indefinitely); it lifts by itself at its end
 * (memberStatus reads it as over at once; liftEndedSuspensions writes it down). A silence leaves the member signed in, read-only.
 * Writes the audit row (user.suspended / user.reinstated / user.silenced / user.unsilenced) with the
 * action. Events: user.suspended, user.reinstated, user.silenced (the member is told, ADR 068).
 */
export async function restrictAccount(tx: Tx, actor: Actor, userId: string, restriction: Restriction): Promise<Result<SuspensionResult>> {
  const [target] = await tx.$queryRaw<LockedUser[]>`
    SELECT id, role::text AS role, status::text AS status, suspended_until, suspension_reason, silenced_at, silenced_until, silence_reason
    FROM users WHERE id = ${userId} FOR NO KEY UPDATE`;
  if (!target) return notFound("messages.common.noSuchUser");
  if (!canSuspend(actor, { id: target.id, role: target.role })) return forbidden("messages.common.cannotSuspend");
  const { mode, suspend, reason, days } = restriction;
  const until = suspend && days !== null ? new Date(Date.now() + days * 86_400_000) : null;
  if (mode === "suspend") {
    const before = { status: target.status, suspendedUntil: iso(target.suspended_until), reason: target.suspension_reason };
    await tx.user.update({ where: { id: userId }, data: suspend ? { status: "suspended", suspendedUntil: until, suspensionReason: reason } : { status: "active", suspendedUntil: null, suspensionReason: "" } });
    if (suspend) await endAllSessions(tx, userId);
    await recordEvent(tx, { type: suspend ? "user.suspended" : "user.reinstated", actorId: actor.id, subjectType: "user", subjectId: userId });
    await recordAudit(tx, {
      actor: { id: actor.id },
      action: suspend ? "user.suspended" : "user.reinstated",
      targetType: "user",
      targetId: userId,
      reason,
      before,
      after: suspend ? { status: "suspended", suspendedUntil: iso(until), reason } : { status: "active", suspendedUntil: null },
    });
  } else {
    const before = { silencedAt: iso(target.silenced_at), silencedUntil: iso(target.silenced_until), reason: target.silence_reason };
    const now = new Date();
    await tx.user.update({ where: { id: userId }, data: suspend ? { silencedAt: now, silencedUntil: until, silenceReason: reason } : { silencedAt: null, silencedUntil: null, silenceReason: "" } });
    if (suspend) await recordEvent(tx, { type: "user.silenced", actorId: actor.id, subjectType: "user", subjectId: userId, payload: { until: iso(until), reason } });
    await recordAudit(tx, {
      actor: { id: actor.id },
      action: suspend ? "user.silenced" : "user.unsilenced",
      targetType: "user",
      targetId: userId,
      reason,
      before,
      after: suspend ? { silencedAt: now.toISOString(), silencedUntil: iso(until), reason } : { silencedAt: null, silencedUntil: null },
    });
  }
  return ok({ userId, suspended: suspend, mode, until: iso(until) });
}

/**
 * Suspends or reinstates an account, or silences it (read-only) or lifts the silence (issue 19): with
 * a reason the member is shown and an end date (`days`) or indefinitely. Moderators, staff and admins
 * act on members; only an admin on a moderator, staff member or admin (canSuspend). Once per submission
 * (ADR 030): a copy of the same form writes no second audit row and does not move the end date.
 */
export async function setSuspension(actor: Actor, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<SuspensionResult>> {
  const again = await earlierAnswer<SuspensionResult>(submission);
  if (again) return again;
  const parsed = SuspendSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const { userId, ...restriction } = parsed.data;
  const target = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
  if (!target) return notFound("messages.common.noSuchUser");
  if (!canSuspend(actor, { id: target.id, role: target.role as Role })) return forbidden("messages.common.cannotSuspend");
  return prisma.$transaction((tx) => submitOnce(tx, submission, () => restrictAccount(tx, actor, userId, restriction)));
}

type Ended = { id: string; suspended_until: Date };

/** Reinstates one locked account whose suspension has ended, as the system: its event and audit row. */
async function liftLocked(tx: Tx, user: Ended): Promise<void> {
  await tx.user.update({ where: { id: user.id }, data: { status: "active", suspendedUntil: null, suspensionReason: "" } });
  await recordEvent(tx, { type: "user.reinstated", actorId: null, subjectType: "user", subjectId: user.id });
  await recordAudit(tx, { actor: null, action: "user.reinstated", targetType: "user", targetId: user.id, reason: "suspension ended", before: { status: "suspended", suspendedUntil: user.suspended_until.toISOString() }, after: { status: "active" } });
}

/**
 * A suspension whose end has passed is over for every reader at once (memberStatus); this writes it
 * down before a sign-in goes on: the account is reinstated as the system (audit actor null, reason
 * "suspension ended"). Before the end nothing changes: sign-in is refused, and no old session exists to
 * replay (they ended with the suspension). Returns whether the account is active now. Event: user.reinstated.
 */
export async function liftEndedSuspension(userId: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const [user] = await tx.$queryRaw<{ status: string; suspended_until: Date | null; now: Date }[]>`
      SELECT status::text AS status, suspended_until, now() AS now FROM users WHERE id = ${userId} FOR NO KEY UPDATE`;
    if (!user) return false;
    if (user.status === "active") return true;
    if (user.suspended_until === null || user.suspended_until > user.now) return false;
    await liftLocked(tx, { id: userId, suspended_until: user.suspended_until });
    return true;
  });
}

/** Accounts reinstated per transaction by the job: a batch stays short, the job loops until none is left. */
const LIFT_BATCH = 200;

/**
 * The `lift-ended-suspensions` job (every minute, ADR 068): reinstates every account whose suspension
 * ended by `now`, each with its user.reinstated event and its audit row (actor null: the system), in
 * batches of 200 locked rows (SKIP LOCKED: a sign-in lifting the same account at that moment keeps it,
 * and nothing is written twice). Reads already treat those suspensions as over (memberStatus); this
 * makes the stored row, the event and the audit log agree. Returns how many accounts it reinstated.
 */
export async function liftEndedSuspensions(now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const lifted = await prisma.$transaction(async (tx) => {
      const ended = await tx.$queryRaw<Ended[]>`
        SELECT id, suspended_until FROM users WHERE status = 'suspended' AND suspended_until <= ${now}
        ORDER BY suspended_until LIMIT ${LIFT_BATCH} FOR NO KEY UPDATE SKIP LOCKED`;
      for (const user of ended) await liftLocked(tx, user);
      return ended.length;
    });
    total += lifted;
    if (lifted < LIFT_BATCH) return total;
  }
}
