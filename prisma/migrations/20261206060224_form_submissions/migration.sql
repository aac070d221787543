-- CreateTable
CREATE TABLE "form_submissions" (
    "key" TEXT NOT NULL,
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "form_submissions_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "form_submissions_expires_at_idx" ON "form_submissions"("expires_at");
