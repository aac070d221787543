-- How far a retention job has purged raw rows (ADR 079): the dashboard's rollups never recompute the cells
-- of days whose raw rows are gone, which would replace their counts with zeros.
CREATE TABLE "retention_marks" (
    "name" TEXT NOT NULL,
    "purged_before" DATE NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "retention_marks_pkey" PRIMARY KEY ("name")
);
