import { z } from "zod";
import type { EventSubscription } from "~/modules/events/handlers.server.ts";
import type { Tx } from "~/utils/db.server.ts";
import { refreshArticleDocument, refreshThreadDocument } from "./search-documents.server.ts";

const WithThread = z.object({ threadId: z.union([z.string().regex(/^\d+$/), z.number().int()]) }).partial();

/** The thread an event is about: its subject, or the payload's threadId, or the post's thread. */
async function threadOf(tx: Tx, event: { subjectType: string; subjectId: string; payload: unknown }): Promise<bigint | null> {
  if (event.subjectType === "thread") return BigInt(event.subjectId);
  const parsed = WithThread.safeParse(event.payload);
  if (parsed.success && parsed.data.threadId !== undefined) return BigInt(parsed.data.threadId);
  if (event.subjectType === "post") {
    const post = await tx.post.findUnique({ where: { id: BigInt(event.subjectId) }, select: { threadId: true } });
    return post?.threadId ?? null;
  }
  return null;
}

/**
 * Event handlers of the search indexing (run after commit by the job queue). Each rewrites the whole
 * search document of the thread or article from its current state, so running one twice, or out of
 * order, leaves the same document (the indexes then pick it up by its new seq: ADR 019).
 */
export const searchHandlers: EventSubscription[] = [
  {
    name: "search.thread-document",
    types: [
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
    ],
    async handle(tx, event) {
      // Votes on answers and new answers change nothing searchable unless they touch the question or
      // the accepted answer; rewriting is cheap and idempotent, so the handler does not try to tell.
      if ((event.type === "vote.cast" || event.type === "vote.withdrawn") && (event.payload as { kind?: string })?.kind !== "question") return;
      const threadId = await threadOf(tx, event);
      if (threadId !== null) await refreshThreadDocument(tx, threadId);
    },
  },
  {
    name: "search.article-document",
    types: ["article.created", "article.edited", "article.published", "article.archived"],
    async handle(tx, event) {
      if (event.subjectType === "article") await refreshArticleDocument(tx, BigInt(event.subjectId));
    },
  },
];
