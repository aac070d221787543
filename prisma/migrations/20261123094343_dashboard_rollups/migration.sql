-- CreateTable
CREATE TABLE "question_stats" (
    "thread_id" BIGINT NOT NULL,
    "category_id" INTEGER NOT NULL,
    "asked_at" TIMESTAMPTZ(3) NOT NULL,
    "first_answer_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "excluded" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "question_stats_pkey" PRIMARY KEY ("thread_id")
);

-- CreateTable
CREATE TABLE "daily_rollups" (
    "day" DATE NOT NULL,
    "category_id" INTEGER NOT NULL,
    "metric" TEXT NOT NULL,
    "value" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "daily_rollups_pkey" PRIMARY KEY ("day","category_id","metric")
);

-- CreateIndex
CREATE INDEX "question_stats_asked_at_idx" ON "question_stats"("asked_at");

-- CreateIndex
CREATE INDEX "question_stats_category_id_asked_at_idx" ON "question_stats"("category_id", "asked_at");

-- CreateIndex
CREATE INDEX "question_stats_resolved_at_idx" ON "question_stats"("resolved_at");

-- CreateIndex
CREATE INDEX "daily_rollups_metric_day_idx" ON "daily_rollups"("metric", "day");

-- Hand-written: a rollup cell is a count, never negative.
ALTER TABLE "daily_rollups" ADD CONSTRAINT "daily_rollups_value_nonnegative" CHECK ("value" >= 0);
