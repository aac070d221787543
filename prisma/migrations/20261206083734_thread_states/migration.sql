-- Thread states (issue 19, ADR 048): close, duplicate, merge, lock, pin, unlist, and close votes.
CREATE TYPE "CloseReason" AS ENUM ('duplicate', 'off_topic', 'too_broad', 'resolved_elsewhere');

ALTER TABLE "threads"
  ADD COLUMN "closed_at" TIMESTAMPTZ(3),
  ADD COLUMN "closed_reason" "CloseReason",
  ADD COLUMN "duplicate_of_id" BIGINT,
  ADD COLUMN "merged_into_id" BIGINT,
  ADD COLUMN "locked_at" TIMESTAMPTZ(3),
  ADD COLUMN "pinned_at" TIMESTAMPTZ(3),
  ADD COLUMN "pinned_globally" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "pinned_until" TIMESTAMPTZ(3),
  ADD COLUMN "unlisted_at" TIMESTAMPTZ(3),
  ADD COLUMN "close_round" INTEGER NOT NULL DEFAULT 0;

-- Written by hand (Prisma would need back-relations): the original and the merge target are threads,
-- never the thread itself, and a duplicate is closed.
ALTER TABLE "threads" ADD CONSTRAINT "threads_duplicate_of_id_fkey" FOREIGN KEY ("duplicate_of_id") REFERENCES "threads"("id") ON DELETE SET NULL;
ALTER TABLE "threads" ADD CONSTRAINT "threads_merged_into_id_fkey" FOREIGN KEY ("merged_into_id") REFERENCES "threads"("id") ON DELETE SET NULL;
ALTER TABLE "threads" ADD CONSTRAINT "threads_not_own_duplicate" CHECK ("duplicate_of_id" IS DISTINCT FROM "id" AND "merged_into_id" IS DISTINCT FROM "id");
ALTER TABLE "threads" ADD CONSTRAINT "threads_duplicate_is_closed" CHECK ("duplicate_of_id" IS NULL OR "closed_at" IS NOT NULL);

-- Pinned threads are read on the first page of every list: a tiny partial index keeps that one probe.
CREATE INDEX "threads_pinned_idx" ON "threads" ("pinned_globally", "category_id", "pinned_at" DESC) WHERE "pinned_at" IS NOT NULL;
-- Re-pointing earlier merges and duplicates when a thread is merged away.
CREATE INDEX "threads_merged_into_id_idx" ON "threads" ("merged_into_id") WHERE "merged_into_id" IS NOT NULL;
CREATE INDEX "threads_duplicate_of_id_idx" ON "threads" ("duplicate_of_id") WHERE "duplicate_of_id" IS NOT NULL;

CREATE TABLE "close_votes" (
    "thread_id" BIGINT NOT NULL,
    "round" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "reason" "CloseReason",
    "duplicate_of_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "close_votes_pkey" PRIMARY KEY ("thread_id", "round", "user_id"),
    CONSTRAINT "close_votes_direction_check" CHECK ("direction" IN ('close', 'reopen')),
    CONSTRAINT "close_votes_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE,
    CONSTRAINT "close_votes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
    CONSTRAINT "close_votes_duplicate_of_id_fkey" FOREIGN KEY ("duplicate_of_id") REFERENCES "threads"("id") ON DELETE SET NULL
);
