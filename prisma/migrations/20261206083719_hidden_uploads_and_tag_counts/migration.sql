-- AlterTable
ALTER TABLE "uploads" ADD COLUMN     "source_sha256" TEXT;

-- CreateTable
CREATE TABLE "upload_refs" (
    "id" BIGSERIAL NOT NULL,
    "upload_id" TEXT NOT NULL,
    "post_id" BIGINT,
    "article_id" BIGINT,

    CONSTRAINT "upload_refs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "upload_refs_post_id_idx" ON "upload_refs"("post_id");

-- CreateIndex
CREATE INDEX "upload_refs_article_id_idx" ON "upload_refs"("article_id");

-- CreateIndex
CREATE UNIQUE INDEX "upload_refs_upload_id_post_id_key" ON "upload_refs"("upload_id", "post_id");

-- CreateIndex
CREATE UNIQUE INDEX "upload_refs_upload_id_article_id_key" ON "upload_refs"("upload_id", "article_id");

-- CreateIndex
CREATE UNIQUE INDEX "uploads_owner_id_source_sha256_key" ON "uploads"("owner_id", "source_sha256");

-- AddForeignKey
ALTER TABLE "upload_refs" ADD CONSTRAINT "upload_refs_upload_id_fkey" FOREIGN KEY ("upload_id") REFERENCES "uploads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (issue 16, item 4, ADR 045). The runner splits on every semicolon, so function bodies are
-- E-strings with \073 for their semicolons.

-- 1. An upload is shown by posts and articles: rows here, each naming exactly one of them.
ALTER TABLE "upload_refs" ADD CONSTRAINT "upload_refs_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE;
ALTER TABLE "upload_refs" ADD CONSTRAINT "upload_refs_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE;
ALTER TABLE "upload_refs" ADD CONSTRAINT "upload_refs_one_owner" CHECK (num_nonnulls("post_id", "article_id") = 1);

-- Written by the database from the body HTML whenever it is written, whoever writes it (use cases, merges,
-- seeds), so no writer can forget. Rows are never removed by an edit: the post's revisions may still show it.
CREATE FUNCTION upload_refs_from_body() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF position(''/uploads/'' in NEW.body_html) = 0 THEN
    RETURN NULL\073
  END IF\073
  IF TG_TABLE_NAME = ''posts'' THEN
    INSERT INTO upload_refs (upload_id, post_id)
    SELECT DISTINCT u.id, NEW.id FROM regexp_matches(NEW.body_html, ''/uploads/([A-Za-z0-9_-]{16,64}\\.(?:png|jpg|gif|webp))'', ''g'') AS m
    JOIN uploads u ON u.id = m[1]
    ON CONFLICT DO NOTHING\073
  ELSE
    INSERT INTO upload_refs (upload_id, article_id)
    SELECT DISTINCT u.id, NEW.id FROM regexp_matches(NEW.body_html, ''/uploads/([A-Za-z0-9_-]{16,64}\\.(?:png|jpg|gif|webp))'', ''g'') AS m
    JOIN uploads u ON u.id = m[1]
    ON CONFLICT DO NOTHING\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER posts_upload_refs AFTER INSERT OR UPDATE OF body_html ON posts
  FOR EACH ROW EXECUTE FUNCTION upload_refs_from_body();
CREATE TRIGGER articles_upload_refs AFTER INSERT OR UPDATE OF body_html ON articles
  FOR EACH ROW EXECUTE FUNCTION upload_refs_from_body();

-- What exists already: every revision's HTML, so an image an edit removed keeps its post.
INSERT INTO upload_refs (upload_id, post_id)
SELECT DISTINCT u.id, r.post_id FROM post_revisions r, regexp_matches(r.body_json::text, '/uploads/([A-Za-z0-9_-]{16,64}\.(?:png|jpg|gif|webp))', 'g') AS m
JOIN uploads u ON u.id = m[1]
WHERE position('/uploads/' in r.body_json::text) > 0
ON CONFLICT DO NOTHING;
INSERT INTO upload_refs (upload_id, post_id)
SELECT DISTINCT u.id, p.id FROM posts p, regexp_matches(p.body_html, '/uploads/([A-Za-z0-9_-]{16,64}\.(?:png|jpg|gif|webp))', 'g') AS m
JOIN uploads u ON u.id = m[1]
WHERE position('/uploads/' in p.body_html) > 0
ON CONFLICT DO NOTHING;
INSERT INTO upload_refs (upload_id, article_id)
SELECT DISTINCT u.id, a.id FROM articles a, regexp_matches(a.body_html, '/uploads/([A-Za-z0-9_-]{16,64}\.(?:png|jpg|gif|webp))', 'g') AS m
JOIN uploads u ON u.id = m[1]
WHERE position('/uploads/' in a.body_html) > 0
ON CONFLICT DO NOTHING;

-- 2. tags.thread_count counts the tag's visible threads (neither hidden nor deleted): a hidden thread's
--    title is not there to see, so its count must not hint at it either. Kept by the database whenever a
--    thread's visibility changes, whoever changes it. New threads are counted by the ask use case, as before.
CREATE FUNCTION threads_tag_counts() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE tags SET thread_count = thread_count + CASE WHEN NEW.hidden_at IS NULL AND NEW.deleted_at IS NULL THEN 1 ELSE -1 END
  WHERE id IN (SELECT tag_id FROM thread_tags WHERE thread_id = NEW.id)\073
  RETURN NULL\073
END';

CREATE TRIGGER threads_tag_counts AFTER UPDATE OF hidden_at, deleted_at ON threads
  FOR EACH ROW WHEN ((OLD.hidden_at IS NULL AND OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.hidden_at IS NULL AND NEW.deleted_at IS NULL))
  EXECUTE FUNCTION threads_tag_counts();

UPDATE tags g SET thread_count = coalesce(c.n, 0)
FROM tags g2 LEFT JOIN (
  SELECT tt.tag_id, count(*)::int AS n FROM thread_tags tt JOIN threads t ON t.id = tt.thread_id
  WHERE t.hidden_at IS NULL AND t.deleted_at IS NULL GROUP BY tt.tag_id
) c ON c.tag_id = g2.id
WHERE g.id = g2.id AND g.thread_count <> coalesce(c.n, 0);
