import { linkMentions } from "~/modules/content/mentions.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { checkNewAccountLimits } from "~/modules/reputation/new-account-limits.server.ts";
import { forbidden, invalid, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { loadMember } from "./members.server.ts";
import { prepareBody } from "./post-body.server.ts";
import { canAsk, canCreateTag } from "./questions.policy.ts";
import { AskSchema, threadSlug } from "./questions.schema.ts";
import { QUESTION_MIN_CHARS } from "./post-body.server.ts";
import { holdPost, screenNewPost, type HeldFor } from "~/modules/flags/spam-checks.server.ts";
import { msg } from "~/utils/messages.ts";

/** `held`: the question waits unseen for a moderator (spam checks, first posts; issue 19). */
export type AskResult = { threadId: bigint; slug: string; held: HeldFor | null };

/**
 * Asks a question. Rules: a title of 15-150 characters, an existing category that is not archived,
 * 1-5 tags (new tags need the createTag privilege), a rich-text body that validates. The thread, its
 * question post, revision 1, the tag links and counters and the event are written in one
 * transaction; new accounts are held to their daily limits and pace in it (429), and to the spam
 * checks (a repeated text is refused; too many links or images, or a first post while approval is on,
 * hold the question for review: screenNewPost). A repeat of the
 * same form submission asks nothing and gets the first answer (ADR 030). Event: question.asked.
 */
export async function askQuestion(actorId: string, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<Result<AskResult>> {
  const again = await earlierAnswer<AskResult>(submission);
  if (again) return again;
  const parsed = AskSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const member = await loadMember(actorId);
  if (!canAsk(member)) return forbidden("messages.questions.askSignIn");
  const body = prepareBody(parsed.data, QUESTION_MIN_CHARS);
  if (!body.ok) return invalid({ body: [body.message] });
  const html = await linkMentions(body.value.html);

  const category = await prisma.category.findUnique({ where: { id: parsed.data.categoryId }, select: { id: true, archivedAt: true } });
  if (!category || category.archivedAt) return invalid({ categoryId: ["messages.common.chooseCategory"] });

  const tags = parsed.data.tags;
  const existing = await prisma.tag.findMany({ where: { name: { in: tags } }, select: { name: true } });
  const unknown = tags.filter((t) => !existing.some((e) => e.name === t));
  if (unknown.length > 0 && !canCreateTag(member)) {
    return invalid({ tags: [msg("messages.questions.newTags", { tags: unknown.join(", ") })] });
  }

  const slug = threadSlug(parsed.data.title);
  return prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<AskResult>> => {
    const limited = await checkNewAccountLimits(tx, actorId, "question");
    if (limited) return limited;
    const screened = await screenNewPost(tx, actorId, { html, text: body.value.text });
    if (!screened.ok) return screened;
    const thread = await tx.thread.create({
      data: { slug, title: parsed.data.title, categoryId: category.id, authorId: actorId },
      select: { id: true },
    });
    const post = await tx.post.create({
      data: { threadId: thread.id, kind: "question", authorId: actorId, bodyJson: body.value.json, bodyHtml: html, bodyText: body.value.text, byStaff: member!.role === "staff" || member!.role === "admin" },
      select: { id: true },
    });
    await tx.thread.update({ where: { id: thread.id }, data: { questionPostId: post.id } });
    await tx.postRevision.create({ data: { postId: post.id, revision: 1, editorId: actorId, title: parsed.data.title, bodyJson: body.value.json, bodyText: body.value.text } });
    for (const name of tags) {
      // Creating a tag and counting it is one statement, so two askers inventing one tag cannot collide.
      const [tag] = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO tags (name, thread_count) VALUES (${name}, 1)
        ON CONFLICT (name) DO UPDATE SET thread_count = tags.thread_count + 1 RETURNING id`;
      await tx.threadTag.create({ data: { threadId: thread.id, tagId: tag!.id } });
    }
    if (screened.value) await holdPost(tx, post.id, screened.value);
    await recordEvent(tx, { type: "question.asked", actorId, subjectType: "thread", subjectId: thread.id.toString(), payload: { categoryId: category.id, tags } });
    return ok({ threadId: thread.id, slug, held: screened.value });
  }));
}
