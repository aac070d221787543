import type { z } from "zod";
import { loadMember } from "~/modules/questions/members.server.ts";
import type { Member } from "~/modules/questions/questions.policy.ts";
import { prisma, type Tx } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { isActionable, lockThread, type LockedThread } from "./thread-row.server.ts";
import { canManageThreadState } from "./thread-states.policy.ts";

export type StateDone = { threadId: bigint; changed: boolean };

/**
 * The steps every moderator-only thread-state use case runs, in the house order: parse (400) → load the
 * actor → policy (403, before anything about the thread is read) → one transaction: lock the thread
 * (404 when missing, deleted or merged away) → the change, its event and its audit row (`apply`).
 * Once per submission (ADR 030): the transaction first claims the form's key, so a copy of the same form
 * (a double click, a resent POST) changes nothing and gets the first answer.
 */
export async function runStateChange<S extends z.ZodTypeAny>(
  actorId: string,
  threadId: bigint,
  schema: S,
  input: unknown,
  forbiddenMessage: string,
  apply: (tx: Tx, ctx: { member: Member; thread: LockedThread; data: z.output<S> }) => Promise<Result<StateDone>>,
  submission: Submission = NO_SUBMISSION_KEY,
): Promise<Result<StateDone>> {
  const again = await earlierAnswer<StateDone>(submission);
  if (again) return again;
  const parsed = schema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors as Record<string, string[]>);
  const member = await loadMember(actorId);
  if (!member || !canManageThreadState(member)) return forbidden(forbiddenMessage);
  return prisma.$transaction((tx) => submitOnce(tx, submission, async () => {
    const thread = await lockThread(tx, threadId);
    if (!isActionable(thread)) return notFound("messages.common.questionGone");
    return apply(tx, { member, thread, data: parsed.data as z.output<S> });
  }));
}
