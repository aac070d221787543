-- Hand-written (ADR 045 with ADR 048): tags.thread_count counts the threads a visitor finds in the tag's list,
-- so unlisted threads and threads merged into another leave the count too, as hidden and deleted ones do.
-- The runner splits on every semicolon: function bodies are E-strings with \073.
DROP TRIGGER threads_tag_counts ON threads;

CREATE OR REPLACE FUNCTION threads_tag_counts() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE tags SET thread_count = thread_count + CASE WHEN NEW.hidden_at IS NULL AND NEW.deleted_at IS NULL AND NEW.unlisted_at IS NULL AND NEW.merged_into_id IS NULL THEN 1 ELSE -1 END
  WHERE id IN (SELECT tag_id FROM thread_tags WHERE thread_id = NEW.id)\073
  RETURN NULL\073
END';

CREATE TRIGGER threads_tag_counts AFTER UPDATE OF hidden_at, deleted_at, unlisted_at, merged_into_id ON threads
  FOR EACH ROW WHEN ((OLD.hidden_at IS NULL AND OLD.deleted_at IS NULL AND OLD.unlisted_at IS NULL AND OLD.merged_into_id IS NULL)
    IS DISTINCT FROM (NEW.hidden_at IS NULL AND NEW.deleted_at IS NULL AND NEW.unlisted_at IS NULL AND NEW.merged_into_id IS NULL))
  EXECUTE FUNCTION threads_tag_counts();

UPDATE tags g SET thread_count = coalesce(c.n, 0)
FROM tags g2 LEFT JOIN (
  SELECT tt.tag_id, count(*)::int AS n FROM thread_tags tt JOIN threads t ON t.id = tt.thread_id
  WHERE t.hidden_at IS NULL AND t.deleted_at IS NULL AND t.unlisted_at IS NULL AND t.merged_into_id IS NULL GROUP BY tt.tag_id
) c ON c.tag_id = g2.id
WHERE g.id = g2.id AND g.thread_count <> coalesce(c.n, 0);

-- Profile pictures are public while they are a member's current one (ADR 045 with ADR 052): /uploads/<key>
-- looks the key up here, so it needs an index.
CREATE INDEX "users_avatar_key_idx" ON "users" ("avatar_key") WHERE "avatar_key" IS NOT NULL;
