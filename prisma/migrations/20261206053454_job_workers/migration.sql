-- The job queue's live workers and when their process last said so (docs/decisions/034-job-worker-lifecycle.md).
-- CreateTable
CREATE TABLE "job_workers" (
    "worker_id" TEXT NOT NULL,
    "runner_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_workers_pkey" PRIMARY KEY ("worker_id")
);

-- CreateIndex
CREATE INDEX "job_workers_runner_id_idx" ON "job_workers"("runner_id");

-- CreateIndex
CREATE INDEX "job_workers_seen_at_idx" ON "job_workers"("seen_at");
