import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { checkNewAccountLimits } from "~/modules/reputation/new-account-limits.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { loadMember } from "./members.server.ts";
import { ANSWER_MIN_CHARS, prepareBody } from "./post-body.server.ts";
import { canAnswer } from "./questions.policy.ts";
import { AnswerSchema } from "./questions.schema.ts";

/**
 * Posts an answer. Anyone signed in and active may answer a visible thread; answers by staff carry
 * the Staff mark for good. The answer, its revision 1 and the thread's counters (answer count,
 * first answer time, last activity) change in one transaction; new accounts are held to their
 * daily limits and pace in it (429). Event: answer.posted.
 */
export async function postAnswer(actorId: string, threadId: bigint, input: unknown): Promise<Result<{ answerId: bigint }>> {
  const parsed = AnswerSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  if (!canAnswer(member)) return forbidden("Sign in with an active account to answer");
  const thread = await prisma.thread.findUnique({ where: { id: threadId }, select: { id: true, deletedAt: true, hiddenAt: true } });
  if (!thread || thread.deletedAt || thread.hiddenAt) return notFound("This question does not exist or was removed");
  const body = prepareBody(parsed.data, ANSWER_MIN_CHARS);
  if (!body.ok) return invalid({ body: [body.message] });

  const outcome = await prisma.$transaction(async (tx): Promise<Result<bigint>> => {
    const limited = await checkNewAccountLimits(tx, actorId, "answer");
    if (limited) return limited;
    const post = await tx.post.create({
      data: { threadId, kind: "answer", authorId: actorId, bodyJson: body.value.json, bodyHtml: body.value.html, bodyText: body.value.text, byStaff: member!.role === "staff" || member!.role === "admin" },
      select: { id: true, createdAt: true },
    });
    await tx.postRevision.create({ data: { postId: post.id, revision: 1, editorId: actorId, bodyJson: body.value.json, bodyText: body.value.text } });
    await tx.$executeRaw`
      UPDATE threads SET answer_count = answer_count + 1,
        first_answer_at = COALESCE(first_answer_at, ${post.createdAt}), last_activity_at = ${post.createdAt}
      WHERE id = ${threadId}`;
    await recordEvent(tx, { type: "answer.posted", actorId, subjectType: "post", subjectId: post.id.toString(), payload: { threadId: threadId.toString() } });
    return ok(post.id);
  });
  if (!outcome.ok) return outcome;
  return ok({ answerId: outcome.value });
}
