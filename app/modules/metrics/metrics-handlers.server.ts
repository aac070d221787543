import { subscribe, type StoredEvent } from "~/modules/events/handlers.server.ts";
import type { Tx } from "~/utils/db.server.ts";
import { addDays, recomputeCells, syncQuestionStat, utcDay } from "./rollups.server.ts";

const QUESTION_CHANGES = ["question.asked", "answer.posted", "answer.accepted", "answer.unaccepted", "thread.hidden", "thread.deleted"] as const;
type QuestionChange = StoredEvent<(typeof QUESTION_CHANGES)[number]>;

/** The thread an event is about: the subject of a thread event, payload.threadId of an answer's. */
function threadOf(event: QuestionChange): bigint {
  return BigInt(event.subjectType === "thread" ? event.subjectId : event.payload.threadId);
}

/**
 * A question changed (asked, answered, accepted, reopened, hidden, deleted): copy its times into
 * question_stats, then recompute the cells its old and new rows touch. A change of resolved state
 * (or exclusion) also moves every day on which the thread was viewed (views of resolved threads).
 */
async function onQuestionChange(tx: Tx, event: QuestionChange): Promise<void> {
  const threadId = threadOf(event);
  const { before, after } = await syncQuestionStat(tx, threadId);
  const rows = [before, after].filter((r) => r !== undefined);
  if (rows.length === 0) return;
  const categories = [...new Set(rows.map((r) => r.category_id))];
  const days = rows.flatMap((r) => [utcDay(r.asked_at), ...(r.resolved_at ? [utcDay(r.resolved_at)] : [])]);
  await recomputeCells(tx, "questions", days, categories);
  if (event.type === "answer.accepted" || event.type === "answer.unaccepted") {
    await recomputeCells(tx, "events", [utcDay(event.occurredAt)], categories);
  }
  if (before?.excluded !== after?.excluded) {
    // Hidden or deleted: its acceptances and reopens leave (or rejoin) every day they happened on.
    const eventDays = await tx.$queryRaw<{ day: string }[]>`
      SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date::text AS day FROM domain_events
      WHERE type IN ('answer.accepted', 'answer.unaccepted') AND subject_type = 'post'
        AND subject_id IN (SELECT id::text FROM posts WHERE thread_id = ${threadId} AND kind = 'answer')`;
    await recomputeCells(
      tx,
      "events",
      eventDays.map((e) => e.day),
      categories,
    );
  }
  const counted = (r: typeof before) => !!r && !r.excluded && r.resolved_at !== null;
  if (counted(before) !== counted(after) || before?.category_id !== after?.category_id) {
    const viewDays = await tx.$queryRaw<{ day: string }[]>`SELECT DISTINCT day::text AS day FROM thread_views WHERE thread_id = ${threadId}`;
    await recomputeCells(
      tx,
      "views",
      viewDays.map((v) => v.day),
      categories,
    );
  }
  // A question posted within 24 hours of a search session un-deflects it (sessions of that day or the day before).
  if (event.type === "question.asked" && after) {
    const day = utcDay(after.asked_at);
    await recomputeCells(tx, "search", [addDays(day, -1), day]);
  }
}

async function onThreadViewed(tx: Tx, event: StoredEvent<"thread.viewed">): Promise<void> {
  const threadId = BigInt(event.subjectId);
  const [stat] = await tx.$queryRaw<{ category_id: number }[]>`SELECT category_id FROM question_stats WHERE thread_id = ${threadId}`;
  if (stat) await recomputeCells(tx, "views", [utcDay(event.occurredAt)], [stat.category_id]);
}

async function onArticleViewed(tx: Tx, event: StoredEvent<"article.viewed">): Promise<void> {
  const [article] = await tx.$queryRaw<{ category_id: number }[]>`SELECT category_id FROM articles WHERE id = ${BigInt(event.subjectId)}`;
  await recomputeCells(tx, "views", [utcDay(event.occurredAt)], article ? [article.category_id] : null);
}

/** A search or an opened result: the search cells of that day and the day before (a result opened after midnight). */
async function onSearch(tx: Tx, event: StoredEvent<"search.performed" | "search.result_opened">): Promise<void> {
  const day = utcDay(event.occurredAt);
  await recomputeCells(tx, "search", [addDays(day, -1), day]);
}

/**
 * Event handlers of the dashboard rollups (run after commit by the job queue, ADR 023). Each one
 * recomputes the cells an event can change from the raw tables, so running it twice changes nothing.
 */
export const metricsHandlers = [
  subscribe({
    name: "metrics.question-stats",
    summary: "copies the thread into `question_stats` and recomputes the dashboard cells it moves (ADR 023)",
    types: QUESTION_CHANGES,
    handle: onQuestionChange,
  }),
  subscribe({ name: "metrics.thread-views", summary: "recomputes that day's view cells of the thread's category", types: ["thread.viewed"], handle: onThreadViewed }),
  subscribe({ name: "metrics.article-views", summary: "recomputes that day's view cells of the article's category", types: ["article.viewed"], handle: onArticleViewed }),
  subscribe({
    name: "metrics.searches",
    summary: "recomputes the search cells (searches, zero-result searches, sessions, deflection) of that day and the day before",
    types: ["search.performed", "search.result_opened"],
    handle: onSearch,
  }),
];
