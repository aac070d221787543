-- Hand-written (ADR 084): a thread's answers ranked from the index alone.
--
-- The thread page counts a thread's visible answers and reads one page of them in rank order
-- (score, then oldest). The index gains deleted_at and hidden_at as included columns, so that count is an
-- index-only scan instead of a heap fetch per answer (2,000 of them on the longest thread). The key columns
-- and the name stay those of schema.prisma's @@index (Prisma cannot declare INCLUDE). The new index is
-- built before the old one goes, so the page never runs without one.
CREATE INDEX "posts_thread_id_kind_score_id_covering_idx" ON "posts" ("thread_id", "kind", "score" DESC, "id") INCLUDE ("deleted_at", "hidden_at");
DROP INDEX "posts_thread_id_kind_score_id_idx";
ALTER INDEX "posts_thread_id_kind_score_id_covering_idx" RENAME TO "posts_thread_id_kind_score_id_idx";
