import { linkMentions } from "~/modules/content/mentions.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { checkNewAccountLimits } from "~/modules/reputation/new-account-limits.server.ts";
import { conflict, forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { loadMember } from "./members.server.ts";
import { ANSWER_MIN_CHARS, prepareBody } from "./post-body.server.ts";
import { canAnswer } from "./questions.policy.ts";
import { STATE_REFUSAL_MESSAGES, stateRefusal } from "~/modules/thread-states/thread-states.policy.ts";
import { AnswerSchema } from "./questions.schema.ts";
import { lockThreadForWrite, TOUCH_LAST_ACTIVITY, writeStateOf } from "~/modules/thread-states/thread-row.server.ts";
import { holdPost, screenNewPost, type HeldFor } from "~/modules/flags/spam-checks.server.ts";

/**
 * Posts an answer. Anyone signed in and active may answer a visible thread; answers by staff carry
 * the Staff mark for good. The answer, its revision 1 and the thread's counters (answer count,
 * first answer time, last activity) change in one transaction; new accounts are held to their
 * daily limits and pace in it (429) and to the spam checks (screenNewPost: a repeated text is refused,
 * too many links or images or a first post while approval is on hold the answer for review). A repeat
 * of the same form submission, even at the same moment, posts nothing and gets the first answer
 * (ADR 030). A closed, locked (unless by a moderator) or merged thread takes no answer: 409 (ADR 048),
 * checked under the thread's row lock in the answer's transaction, so an answer racing a close never
 * lands after it (ADR 068).
 * Event: answer.posted.
 */
export async function postAnswer(actorId: string, threadId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ answerId: bigint; held: HeldFor | null }>> {
  const again = await earlierAnswer<{ answerId: bigint; held: HeldFor | null }>(submission);
  if (again) return again;
  const parsed = AnswerSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  if (!canAnswer(member)) return forbidden("messages.questions.answerSignIn");
  const [thread] = await prisma.$queryRaw<{ deleted_at: Date | null; hidden_at: Date | null; closed_at: Date | null; locked_at: Date | null; merged_into_id: bigint | null }[]>`
    SELECT deleted_at, hidden_at, closed_at, locked_at, merged_into_id FROM threads WHERE id = ${threadId}`;
  if (!thread || thread.deleted_at || thread.hidden_at) return notFound("messages.common.questionGone");
  const refusal = stateRefusal(member, { closedAt: thread.closed_at, lockedAt: thread.locked_at, mergedIntoId: thread.merged_into_id }, "answer");
  if (refusal) return conflict(STATE_REFUSAL_MESSAGES[refusal]);
  const body = prepareBody(parsed.data, ANSWER_MIN_CHARS);
  if (!body.ok) return invalid({ body: [body.message] });
  const html = await linkMentions(body.value.html);

  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<{ answerId: bigint; held: HeldFor | null }>> => {
    // Checked again under the thread's lock (ADR 068): a close, lock or merge committed since the read
    // above refuses this answer, and one that starts now waits until the answer is in.
    const locked = await lockThreadForWrite(tx, threadId, "update");
    if (!locked || locked.deleted_at || locked.hidden_at) return notFound("messages.common.questionGone");
    const lockedRefusal = stateRefusal(member, writeStateOf(locked), "answer");
    if (lockedRefusal) return conflict(STATE_REFUSAL_MESSAGES[lockedRefusal]);
    const limited = await checkNewAccountLimits(tx, actorId, "answer");
    if (limited) return limited;
    const screened = await screenNewPost(tx, actorId, { html, text: body.value.text });
    if (!screened.ok) return screened;
    // The answer, its revision 1 and the thread's counters: one statement.
    const json = JSON.stringify(body.value.json);
    const [post] = await tx.$queryRaw<{ id: bigint }[]>`
      WITH post AS (
        INSERT INTO posts (thread_id, kind, author_id, body_json, body_html, body_text, by_staff)
        VALUES (${threadId}, 'answer'::"PostKind", ${actorId}, ${json}::jsonb, ${html}, ${body.value.text}, ${member!.role === "staff" || member!.role === "admin"})
        RETURNING id, created_at
      ),
      revision AS (
        INSERT INTO post_revisions (post_id, revision, editor_id, body_json, body_text)
        SELECT id, 1, ${actorId}, ${json}::jsonb, ${body.value.text} FROM post
      ),
      thread AS (
        UPDATE threads SET answer_count = answer_count + 1,
          first_answer_at = COALESCE(first_answer_at, post.created_at),
          ${TOUCH_LAST_ACTIVITY}
        FROM post WHERE threads.id = ${threadId}
      )
      SELECT id FROM post`;
    if (screened.value) await holdPost(tx, post!.id, screened.value);
    await recordEvent(tx, { type: "answer.posted", actorId, subjectType: "post", subjectId: post!.id.toString(), payload: { threadId: threadId.toString() } });
    return ok({ answerId: post!.id, held: screened.value });
  }));
}
