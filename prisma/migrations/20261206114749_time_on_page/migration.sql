-- Time on page reported by the browser (issue 20, ADR 072). Both columns are nullable without a default,
-- so adding them rewrites nothing on a large table: the view POST fills view_id in its own INSERT.
ALTER TABLE "thread_views" ADD COLUMN "view_id" UUID, ADD COLUMN "visible_seconds" INTEGER;
ALTER TABLE "thread_views" ADD CONSTRAINT "thread_views_visible_seconds_check" CHECK ("visible_seconds" BETWEEN 0 AND 7200);
ALTER TABLE "article_views" ADD COLUMN "view_id" UUID, ADD COLUMN "visible_seconds" INTEGER;
ALTER TABLE "article_views" ADD CONSTRAINT "article_views_visible_seconds_check" CHECK ("visible_seconds" BETWEEN 0 AND 7200);
