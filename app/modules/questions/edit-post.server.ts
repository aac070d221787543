import { recordAudit } from "~/modules/audit/record-audit.server.ts";
import { linkMentions } from "~/modules/content/mentions.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { loadMember } from "./members.server.ts";
import { ANSWER_MIN_CHARS, prepareBody, QUESTION_MIN_CHARS } from "./post-body.server.ts";
import { canEdit, canReadPost } from "./questions.policy.ts";
import { EditSchema, threadSlug } from "./questions.schema.ts";
import { TOUCH_LAST_ACTIVITY } from "~/modules/thread-states/thread-row.server.ts";

/**
 * Edits a question (title and body) or an answer (body). Rules: the author, or a moderator, staff
 * member or admin, of a post they can read (canReadPost: a hidden post is moderators' only); every edit appends the next revision (never rewrites one) with the editor, the
 * time and an optional reason. The post row is locked so two edits get consecutive numbers. A
 * repeat of the same form submission appends nothing and gets the first answer (ADR 030).
 * Event: post.edited. Audit (ADR 050): post.edited_by_other when the editor is not the author (a
 * moderator, or a member with the edit privilege), with revision numbers and text lengths, never the text.
 */
export async function editPost(actorId: string, postId: bigint, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<{ threadId: bigint; revision: number }>> {
  const again = await earlierAnswer<{ threadId: bigint; revision: number }>(submission);
  if (again) return again;
  const parsed = EditSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  const post = await prisma.post.findUnique({
    where: { id: postId },
    select: { id: true, kind: true, authorId: true, threadId: true, deletedAt: true, hiddenAt: true, thread: { select: { hiddenAt: true, deletedAt: true, title: true } } },
  });
  // Hidden and deleted posts (and posts of hidden or deleted threads) do not exist for whoever cannot see them.
  if (!post || !canReadPost(member, post)) return notFound("messages.common.postGone");
  if (!canEdit(member, post)) return forbidden("messages.questions.editForbidden");
  if (post.kind === "question" && !parsed.data.title) return invalid({ title: ["messages.questions.titleRequired"] });
  const body = prepareBody(parsed.data, post.kind === "question" ? QUESTION_MIN_CHARS : ANSWER_MIN_CHARS);
  if (!body.ok) return invalid({ body: [body.message] });
  const html = await linkMentions(body.value.html);

  return prisma.$transaction((tx) => submitOnce(tx, submission, async () => {
    const [locked] = await tx.$queryRaw<{ revision_count: number; chars: number }[]>`
      SELECT revision_count, char_length(body_text) AS chars FROM posts WHERE id = ${postId} FOR NO KEY UPDATE`;
    const next = locked!.revision_count + 1;
    await tx.postRevision.create({
      data: { postId, revision: next, editorId: actorId, title: post.kind === "question" ? parsed.data.title : null, bodyJson: body.value.json, bodyText: body.value.text, reason: parsed.data.reason },
    });
    // The post's one write, on the database's clock (every app server stamps the same time).
    await tx.$executeRaw`
      UPDATE posts SET body_json = ${JSON.stringify(body.value.json)}::jsonb, body_html = ${html}, body_text = ${body.value.text}, revision_count = ${next}, updated_at = now()
      WHERE id = ${postId}`;
    // A question's edit may retitle the thread (null keeps the title and its slug), in the same statement.
    const title = post.kind === "question" && parsed.data.title ? parsed.data.title : null;
    await tx.$executeRaw`
      UPDATE threads SET ${TOUCH_LAST_ACTIVITY}, title = COALESCE(${title}, title), slug = COALESCE(${title ? threadSlug(title) : null}, slug)
      WHERE id = ${post.threadId}`;
    await recordEvent(tx, { type: "post.edited", actorId, subjectType: "post", subjectId: postId.toString(), payload: { revision: next, threadId: post.threadId.toString() } });
    if (actorId !== post.authorId) {
      await recordAudit(tx, {
        actor: { id: actorId },
        action: "post.edited_by_other",
        targetType: "post",
        targetId: postId,
        reason: parsed.data.reason,
        before: { revision: locked!.revision_count, chars: locked!.chars },
        after: { revision: next, chars: [...body.value.text].length, titleChanged: post.kind === "question" && !!parsed.data.title && parsed.data.title !== post.thread.title },
      });
    }
    return ok({ threadId: post.threadId, revision: next });
  }));
}
