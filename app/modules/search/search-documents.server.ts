import { prisma, type Tx } from "~/utils/db.server.ts";
import { detectLanguages } from "./analyze.ts";

/**
 * search_documents holds, per thread or article, exactly the text a visitor may see and search: the
 * question's title, tags and text, and the accepted answer's text (hidden or deleted posts leave it
 * out; an unlisted or merged thread has an invisible document, ADR 048). Every write takes a new `seq`, which is how the indexes learn what changed (ADR 019).
 */

/** Text kept per document: enough for relevance and snippets, bounded so the index stays small. */
export const MAX_BODY_CHARS = 4000;

/** Advisory lock key: writers hold it shared, the base index build takes it exclusively to fix its high-water mark. */
export const SEARCH_SEQ_LOCK = 4_242_001;

type DocumentRow = {
  docKey: string;
  docType: "thread" | "article";
  categoryId: number | null;
  title: string;
  body: string;
  tags: string[];
  resolved: boolean;
  score: number;
  visible: boolean;
};

async function upsertDocument(tx: Tx, doc: DocumentRow): Promise<void> {
  const languages = doc.visible ? detectLanguages(`${doc.title}\n${doc.body.slice(0, 2000)}`) : [];
  // The shared advisory lock is taken in the same statement, before the row gets its seq.
  await tx.$executeRaw`
    WITH seq_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(${SEARCH_SEQ_LOCK}::bigint))
    INSERT INTO search_documents (doc_key, doc_type, category_id, title, body, tags, resolved, score, visible, languages, updated_at)
    SELECT ${doc.docKey}::text, ${doc.docType}::text, ${doc.categoryId}::int, ${doc.title}::text, ${doc.body}::text, ${doc.tags}::text[], ${doc.resolved}::boolean,
           ${doc.score}::int, ${doc.visible}::boolean, ${languages}::text[], now()
    FROM seq_lock
    ON CONFLICT (doc_key) DO UPDATE SET
      doc_type = EXCLUDED.doc_type, category_id = EXCLUDED.category_id, title = EXCLUDED.title, body = EXCLUDED.body,
      tags = EXCLUDED.tags, resolved = EXCLUDED.resolved, score = EXCLUDED.score, visible = EXCLUDED.visible,
      languages = EXCLUDED.languages, updated_at = now(), seq = nextval('search_documents_seq_seq')`;
}

function clip(text: string): string {
  return text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text;
}

/** Rewrites a thread's search document from the thread's current, visible state (one read, one write). */
export async function refreshThreadDocument(tx: Tx, threadId: bigint): Promise<void> {
  const [thread] = await tx.$queryRaw<
    { title: string; category_id: number; score: number; hidden: boolean; deleted: boolean; resolved: boolean; question_text: string | null; answer_text: string | null; tags: string[] }[]
  >`
    SELECT t.title, t.category_id, t.score, (t.hidden_at IS NOT NULL OR t.unlisted_at IS NOT NULL OR t.merged_into_id IS NOT NULL) AS hidden,
      t.deleted_at IS NOT NULL AS deleted, t.resolved_at IS NOT NULL AS resolved,
      (SELECT p.body_text FROM posts p WHERE p.id = t.question_post_id AND p.thread_id = t.id AND p.hidden_at IS NULL AND p.deleted_at IS NULL) AS question_text,
      (SELECT p.body_text FROM posts p WHERE p.id = t.accepted_answer_id AND p.thread_id = t.id AND p.hidden_at IS NULL AND p.deleted_at IS NULL) AS answer_text,
      ARRAY(SELECT g.name FROM thread_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.thread_id = t.id ORDER BY tt.tag_id) AS tags
    FROM threads t WHERE t.id = ${threadId}`;
  const docKey = `thread:${threadId}`;
  if (!thread) {
    await upsertDocument(tx, { docKey, docType: "thread", categoryId: null, title: "", body: "", tags: [], resolved: false, score: 0, visible: false });
    return;
  }
  const visible = !thread.hidden && !thread.deleted && thread.question_text !== null;
  await upsertDocument(tx, {
    docKey,
    docType: "thread",
    categoryId: thread.category_id,
    title: visible ? thread.title : "",
    body: visible ? clip([thread.question_text ?? "", thread.answer_text ?? ""].filter(Boolean).join("\n\n")) : "",
    tags: visible ? thread.tags : [],
    resolved: thread.resolved && thread.answer_text !== null,
    score: thread.score,
    visible,
  });
}

/** Rewrites an article's search document: only published articles are visible. */
export async function refreshArticleDocument(tx: Tx, articleId: bigint): Promise<void> {
  const article = await tx.article.findUnique({
    where: { id: articleId },
    select: { title: true, bodyText: true, categoryId: true, status: true, helpfulYes: true, tags: { select: { tagId: true } } },
  });
  const docKey = `article:${articleId}`;
  const visible = article?.status === "published";
  const tags = visible && article.tags.length > 0
    ? (await tx.tag.findMany({ where: { id: { in: article.tags.map((t) => t.tagId) } }, select: { name: true } })).map((t) => t.name)
    : [];
  await upsertDocument(tx, {
    docKey,
    docType: "article",
    categoryId: article?.categoryId ?? null,
    title: visible ? article.title : "",
    body: visible ? clip(article.bodyText) : "",
    tags,
    resolved: visible,
    score: article?.helpfulYes ?? 0,
    visible,
  });
}

/**
 * Backfill: writes the search document of every thread and article (the large seed writes no events).
 * Batched; `onProgress` gets (done, total).
 */
export async function backfillSearchDocuments(onProgress?: (done: number, total: number) => void, batchSize = 2000): Promise<number> {
  const total = (await prisma.thread.count()) + (await prisma.article.count());
  let done = 0;
  let after = 0n;
  for (;;) {
    const batch = await prisma.thread.findMany({ where: { id: { gt: after } }, select: { id: true }, orderBy: { id: "asc" }, take: batchSize });
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    await bulkRefreshThreads(batch.map((t) => t.id));
    done += batch.length;
    onProgress?.(done, total);
  }
  const articles = await prisma.article.findMany({ select: { id: true } });
  for (const article of articles) {
    await prisma.$transaction((tx) => refreshArticleDocument(tx, article.id));
    done += 1;
  }
  onProgress?.(done, total);
  return done;
}

/** The same as refreshThreadDocument for many threads at once, in one set-based statement. */
async function bulkRefreshThreads(threadIds: bigint[]): Promise<void> {
  const rows = await prisma.$queryRaw<Array<{ id: bigint; title: string; category_id: number; score: number; visible: boolean; resolved: boolean; body: string; tags: string[] }>>`
    SELECT t.id, t.title, t.category_id, t.score,
           (t.hidden_at IS NULL AND t.deleted_at IS NULL AND t.unlisted_at IS NULL AND t.merged_into_id IS NULL AND q.id IS NOT NULL) AS visible,
           (t.resolved_at IS NOT NULL AND a.id IS NOT NULL) AS resolved,
           concat_ws(E'\n\n', q.body_text, a.body_text) AS body,
           coalesce((SELECT array_agg(g.name ORDER BY g.name) FROM thread_tags tt JOIN tags g ON g.id = tt.tag_id WHERE tt.thread_id = t.id), '{}') AS tags
    FROM threads t
    LEFT JOIN posts q ON q.id = t.question_post_id AND q.hidden_at IS NULL AND q.deleted_at IS NULL
    LEFT JOIN posts a ON a.id = t.accepted_answer_id AND a.hidden_at IS NULL AND a.deleted_at IS NULL
    WHERE t.id = ANY(${threadIds}::bigint[])`;
  const docs = rows.map((row) => ({
    key: `thread:${row.id}`,
    category: row.category_id,
    title: row.visible ? row.title : "",
    body: row.visible ? clip(row.body) : "",
    tags: row.visible ? row.tags.join(",") : "",
    resolved: row.resolved,
    score: row.score,
    visible: row.visible,
    languages: row.visible ? detectLanguages(`${row.title}\n${row.body.slice(0, 2000)}`).join(",") : "",
  }));
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${SEARCH_SEQ_LOCK}::bigint)`;
    await tx.$executeRaw`
      INSERT INTO search_documents (doc_key, doc_type, category_id, title, body, tags, resolved, score, visible, languages, updated_at)
      SELECT d.key, 'thread', d.category, d.title, d.body, coalesce(string_to_array(NULLIF(d.tags, ''), ','), '{}'),
             d.resolved, d.score, d.visible, coalesce(string_to_array(NULLIF(d.languages, ''), ','), '{}'), now()
      FROM unnest(${docs.map((d) => d.key)}::text[], ${docs.map((d) => d.category)}::int[], ${docs.map((d) => d.title)}::text[],
                  ${docs.map((d) => d.body)}::text[], ${docs.map((d) => d.tags)}::text[], ${docs.map((d) => d.resolved)}::boolean[],
                  ${docs.map((d) => d.score)}::int[], ${docs.map((d) => d.visible)}::boolean[], ${docs.map((d) => d.languages)}::text[])
           AS d(key, category, title, body, tags, resolved, score, visible, languages)
      ON CONFLICT (doc_key) DO UPDATE SET
        doc_type = EXCLUDED.doc_type, category_id = EXCLUDED.category_id, title = EXCLUDED.title, body = EXCLUDED.body,
        tags = coalesce(EXCLUDED.tags, '{}'), resolved = EXCLUDED.resolved, score = EXCLUDED.score, visible = EXCLUDED.visible,
        languages = EXCLUDED.languages, updated_at = now(), seq = nextval('search_documents_seq_seq')`;
  }, { timeout: 120_000 });
}
