-- CreateIndex
CREATE INDEX "threads_category_id_last_activity_at_id_idx" ON "threads"("category_id", "last_activity_at" DESC, "id" DESC);
