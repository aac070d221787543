import type { JSONContent } from "@tiptap/core";
import { threadTagNamesSql } from "~/modules/questions/thread-tags-sql.server.ts";
import { recordEvent } from "~/modules/events/record-event.server.ts";
import { BODY_MAX_CHARS } from "~/modules/content/rich-text.schema.ts";
import { docToPlainText, textToDoc } from "~/modules/content/rich-text.ts";
import { loadMember } from "~/modules/questions/members.server.ts";
import { prepareBody } from "~/modules/questions/post-body.server.ts";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, notFound, ok, type Result } from "~/utils/http.server.ts";
import { earlierAnswer, NO_SUBMISSION_KEY, submitOnce, type Submission } from "~/utils/submission.server.ts";
import { freeSlug, isUniqueViolation, reviewDate, setArticleTags } from "./article-write.server.ts";
import { canPromote } from "./kb.policy.ts";
import { articlePath, PromoteSchema } from "./kb.schema.ts";
import { msg } from "~/utils/messages.ts";

export type ExistingArticle = { threadId: string; threadTitle: string; articleId: string; title: string; status: string; path: string };
/** Some of the threads already belong to an article: the caller proposes to open it instead. */
export type AlreadyPromoted = { ok: false; kind: "already-promoted"; articles: ExistingArticle[] };
/** Some threads have no accepted answer: promoting them needs an explicit confirmation. */
export type NeedsConfirmation = { ok: false; kind: "needs-confirmation"; unresolved: { id: string; title: string }[]; threadIds: string[] };
export type PromoteResult = Result<{ articleId: bigint; sources: number }> | AlreadyPromoted | NeedsConfirmation;

/** How many threads' texts go into the pre-filled body; every thread is linked as a source. */
const MAX_THREADS_IN_BODY = 5;

type SourceRow = {
  id: bigint; title: string; category_id: number; view_count: number; accepted_answer_id: bigint | null; hidden_at: Date | null; deleted_at: Date | null;
  question_json: unknown; answer_json: unknown; answer_author_id: string | null; answer_author_name: string | null; tags: string[];
};

/**
 * Promotes one resolved thread, or a cluster of similar threads, into a draft article pre-filled
 * from the questions (context) and their accepted answers (solution), crediting each answer's
 * author. Rules: staff, moderators and admins only (403 otherwise, even by a direct POST); every
 * thread exists and is visible; a thread already promoted is refused with its article, to open
 * instead (the unique article_sources.thread_id settles a race); threads without an accepted
 * answer need `confirmUnresolved`. The article (draft, owned by the promoter), revision 1, tags and
 * one article_sources row per thread are written in one transaction. A repeat of the same form
 * submission gets the first answer (its article), not "already promoted" (ADR 030).
 * Events: article.created, and thread.promoted for each source thread.
 */
function isDeadlock(error: unknown): boolean {
  const e = error as { code?: string; meta?: { code?: string; driverAdapterError?: { cause?: { originalCode?: string } } }; message?: string };
  return e?.meta?.code === "40P01" || e?.meta?.driverAdapterError?.cause?.originalCode === "40P01" || /deadlock detected/i.test(e?.message ?? "");
}

export async function promoteThreads(actorId: string, input: unknown, submission: Submission = NO_SUBMISSION_KEY): Promise<PromoteResult> {
  type Promoted = { articleId: bigint; sources: number };
  const again = await earlierAnswer<Promoted>(submission);
  if (again) return again;
  const member = await loadMember(actorId);
  if (!canPromote(member)) return forbidden("messages.kb.promoteForbidden");
  const parsed = PromoteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.flatten().fieldErrors);
  const { threadIds, confirmUnresolved } = parsed.data;

  const rows = await prisma.$queryRaw<SourceRow[]>`
    SELECT t.id, t.title, t.category_id, t.view_count, t.accepted_answer_id, t.hidden_at, t.deleted_at,
      q.body_json AS question_json, a.body_json AS answer_json, a.author_id AS answer_author_id, u.display_name AS answer_author_name,
      ${threadTagNamesSql("t")} AS tags
    FROM threads t
    LEFT JOIN posts q ON q.id = t.question_post_id
    LEFT JOIN posts a ON a.id = t.accepted_answer_id AND a.deleted_at IS NULL
    LEFT JOIN users u ON u.id = a.author_id
    WHERE t.id IN (${Prisma.join(threadIds)})`;
  const byId = new Map(rows.filter((r) => !r.deleted_at && !r.hidden_at).map((r) => [r.id, r]));
  const missing = threadIds.filter((id) => !byId.has(id));
  if (missing.length > 0) return notFound(msg("messages.kb.noSuchQuestions", { ids: missing.join(", ") }));

  const existing = await findExisting(threadIds);
  // The article may be this very submission's, committed a moment ago by its first copy.
  if (existing.length > 0) return (await earlierAnswer<Promoted>(submission)) ?? { ok: false, kind: "already-promoted", articles: existing };

  const sources = threadIds.map((id) => byId.get(id)!);
  const unresolved = sources.filter((s) => !s.accepted_answer_id);
  if (unresolved.length > 0 && !confirmUnresolved) {
    return { ok: false, kind: "needs-confirmation", unresolved: unresolved.map((s) => ({ id: s.id.toString(), title: s.title })), threadIds: threadIds.map(String) };
  }

  // The most read resolved thread gives the title and category; the others keep their order.
  const primary = [...sources].sort((a, b) => Number(!!b.accepted_answer_id) - Number(!!a.accepted_answer_id) || b.view_count - a.view_count)[0]!;
  const ordered = [primary, ...sources.filter((s) => s !== primary)];
  const body = prefilledBody(ordered);
  const tags = topTags(ordered);
  const title = primary.title;

  try {
    return await prisma.$transaction((tx) => submitOnce(tx, submission, async (): Promise<Result<Promoted>> => {
      const slug = await freeSlug(tx, primary.category_id, title);
      const article = await tx.article.create({
        data: { categoryId: primary.category_id, slug, title, bodyJson: body.json, bodyHtml: body.html, bodyText: body.text, ownerId: actorId, authorId: actorId, reviewBy: reviewDate(undefined) },
        select: { id: true },
      });
      const reason = `Promoted from ${ordered.length === 1 ? "thread" : "threads"} ${ordered.map((s) => `#${s.id}`).join(", ")}`.slice(0, 200);
      await tx.articleRevision.create({ data: { articleId: article.id, revision: 1, editorId: actorId, title, bodyJson: body.json, bodyText: body.text, reason } });
      await setArticleTags(tx, article.id, tags);
      for (const s of ordered) await tx.articleSource.create({ data: { articleId: article.id, threadId: s.id, creditedUserId: s.answer_author_id } });
      await recordEvent(tx, {
        type: "article.created",
        actorId,
        subjectType: "article",
        subjectId: article.id.toString(),
        payload: { categoryId: primary.category_id, promotedFrom: ordered.map((s) => s.id.toString()) },
      });
      for (const s of ordered) {
        await recordEvent(tx, {
          type: "thread.promoted",
          actorId,
          subjectType: "thread",
          subjectId: s.id.toString(),
          payload: { articleId: article.id.toString(), resolved: !!s.accepted_answer_id, creditedUserId: s.answer_author_id, clusterSize: ordered.length },
        });
      }
      return ok({ articleId: article.id, sources: ordered.length });
    }));
  } catch (error) {
    // Another promotion took one of these threads between our check and our insert: a unique
    // violation, or a deadlock when two promotions of overlapping clusters lock in different orders.
    if (isUniqueViolation(error) || isDeadlock(error)) {
      // The winner's commit can become visible to our next statement a moment after our insert failed.
      let now = await findExisting(threadIds);
      for (let attempt = 0; now.length === 0 && attempt < 20; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        now = await findExisting(threadIds);
      }
      if (now.length > 0) return (await earlierAnswer<Promoted>(submission)) ?? { ok: false, kind: "already-promoted", articles: now };
    }
    throw error;
  }
}

async function findExisting(threadIds: bigint[]): Promise<ExistingArticle[]> {
  const rows = await prisma.$queryRaw<{ thread_id: bigint; thread_title: string; article_id: bigint; title: string; status: string; slug: string; category_slug: string }[]>`
    SELECT s.thread_id, t.title AS thread_title, a.id AS article_id, a.title, a.status::text AS status, a.slug, c.slug AS category_slug
    FROM article_sources s JOIN articles a ON a.id = s.article_id JOIN categories c ON c.id = a.category_id JOIN threads t ON t.id = s.thread_id
    WHERE s.thread_id IN (${Prisma.join(threadIds)}) ORDER BY s.thread_id`;
  return rows.map((r) => ({
    threadId: r.thread_id.toString(), threadTitle: r.thread_title, articleId: r.article_id.toString(), title: r.title, status: r.status,
    path: articlePath({ categorySlug: r.category_slug, slug: r.slug }),
  }));
}

/** Up to five tags, the most shared first. */
function topTags(sources: SourceRow[]): string[] {
  const count = new Map<string, number>();
  for (const s of sources) for (const t of s.tags) count.set(t, (count.get(t) ?? 0) + 1);
  const tags = [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([t]) => t);
  return tags.length > 0 ? tags : ["how-to"];
}

const heading = (level: 2 | 3, text: string): JSONContent => ({ type: "heading", attrs: { level }, content: [{ type: "text", text }] });
const paragraph = (text: string): JSONContent => ({ type: "paragraph", content: [{ type: "text", text }] });

/** A post's blocks one level down (its headings become sub-headings of the section). */
function blocksOf(json: unknown): JSONContent[] {
  const content = (json as JSONContent | null)?.content;
  if (!Array.isArray(content)) return [];
  return content.map((node) => (node.type === "heading" ? { ...node, attrs: { level: Math.min(4, Number(node.attrs?.level ?? 2) + 1) } } : node));
}

function buildDoc(sources: SourceRow[]): JSONContent {
  const cluster = sources.length > 1;
  const content: JSONContent[] = [heading(2, "Context")];
  for (const s of sources) {
    if (cluster) content.push(heading(3, s.title));
    content.push(...blocksOf(s.question_json));
  }
  content.push(heading(2, "Solution"));
  const solved = sources.filter((s) => s.answer_json);
  if (solved.length === 0) content.push(paragraph("No accepted answer yet: write the solution here."));
  for (const s of solved) {
    if (cluster) content.push(heading(3, s.title));
    content.push(...blocksOf(s.answer_json));
    content.push({ type: "paragraph", content: [{ type: "text", text: `Answer by ${s.answer_author_name ?? "a community member"}.`, marks: [{ type: "italic" }] }] });
  }
  return { type: "doc", content };
}

/**
 * The pre-filled body through the same validation and sanitizer as every post. Long clusters keep
 * fewer threads' texts (all stay linked as sources); a body that still does not validate falls
 * back to its plain text.
 */
function prefilledBody(sources: SourceRow[]) {
  for (let n = Math.min(MAX_THREADS_IN_BODY, sources.length); n >= 1; n -= 1) {
    const prepared = prepareBody({ body: JSON.stringify(buildDoc(sources.slice(0, n))) }, 1);
    if (prepared.ok) return prepared.value;
  }
  const text = docToPlainText(buildDoc(sources.slice(0, 1))).slice(0, BODY_MAX_CHARS - 100);
  const prepared = prepareBody({ body: JSON.stringify(textToDoc(text)) }, 1);
  if (!prepared.ok) throw new Error(`promoteThreads: could not pre-fill the article: ${prepared.message}`);
  return prepared.value;
}
