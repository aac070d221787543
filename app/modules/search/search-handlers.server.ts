import { subscribe, type StoredEvent } from "~/modules/events/handlers.server.ts";
import { refreshArticleDocument, refreshThreadDocument } from "./search-documents.server.ts";

const THREAD_CHANGES = [
  "question.asked",
  "answer.accepted",
  "answer.unaccepted",
  "post.edited",
  "post.hidden",
  "post.unhidden",
  "post.deleted",
  "thread.hidden",
  "thread.deleted",
  "vote.cast",
  "vote.withdrawn",
] as const;

/** The thread an event is about: its subject, or the payload's threadId (every post event carries it). */
function threadOf(event: StoredEvent<(typeof THREAD_CHANGES)[number]>): bigint {
  return BigInt(event.subjectType === "thread" ? event.subjectId : event.payload.threadId);
}

/**
 * Event handlers of the search indexing (run after commit by the job queue). Each rewrites the whole
 * search document of the thread or article from its current state, so running one twice, or out of
 * order, leaves the same document (the indexes then pick it up by its new seq: ADR 019).
 */
export const searchHandlers = [
  subscribe({
    name: "search.thread-document",
    summary: "rewrites the thread's `search_documents` row (ADR 019)",
    types: THREAD_CHANGES,
    async handle(tx, event) {
      // Votes on answers and new answers change nothing searchable unless they touch the question or
      // the accepted answer; rewriting is cheap and idempotent, so the handler does not try to tell.
      if ((event.type === "vote.cast" || event.type === "vote.withdrawn") && event.payload.kind !== "question") return;
      await refreshThreadDocument(tx, threadOf(event));
    },
  }),
  subscribe({
    name: "search.thread-state",
    summary: "rewrites the search documents a thread-state change touches: unlisted and merged threads leave search, a move changes the category, a merge the target's text (ADR 048)",
    types: ["thread.moved", "thread.unlisted", "thread.listed", "thread.merged"],
    async handle(tx, event) {
      await refreshThreadDocument(tx, BigInt(event.subjectId));
      if (event.type === "thread.merged") await refreshThreadDocument(tx, BigInt(event.payload.targetId));
    },
  }),
  subscribe({
    name: "search.article-document",
    summary: "rewrites the article's `search_documents` row",
    types: ["article.created", "article.edited", "article.published", "article.archived"],
    async handle(tx, event) {
      await refreshArticleDocument(tx, BigInt(event.subjectId));
    },
  }),
];
