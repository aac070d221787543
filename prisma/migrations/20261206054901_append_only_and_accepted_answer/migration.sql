-- Hand-written (issue 17, ADR 039): rules the code kept by convention, now kept by the database.
-- The migration runner splits the script on every semicolon, even in comments and strings, so function
-- bodies are E-strings whose semicolons are the octal escape \073 (as in the reputation rollup migration).

-- 1. The reputation ledger, the revision histories and the event log are append-only. Changing or removing
--    their rows (UPDATE, DELETE, TRUNCATE) is refused, with two exceptions:
--    - the escape hatch for maintenance: a transaction that runs
--      SELECT set_config('threadwise.rewrite_append_only', '<table>[,<table>...]', true)
--      may rewrite the tables it names until it ends (allowAppendOnlyRewrite() in app/utils/append-only.server.ts)
--    - domain_events.actor_id may become NULL when its user is deleted (its foreign key is ON DELETE SET NULL).
--    Inserting is never affected. The ledger, the revisions and TRUNCATE are checked once per statement, the
--    event log per row (to let the foreign key's SET NULL through). The errors are check_violation (23514):
--    adapter-pg turns restrict_violation into an error without its message.
CREATE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_TABLE_NAME = ANY (string_to_array(current_setting(''threadwise.rewrite_append_only'', true), '','')) THEN
    RETURN CASE WHEN TG_LEVEL = ''ROW'' AND TG_OP = ''DELETE'' THEN OLD WHEN TG_LEVEL = ''ROW'' THEN NEW ELSE NULL END\073
  END IF\073
  IF TG_LEVEL = ''ROW'' AND TG_TABLE_NAME = ''domain_events'' AND TG_OP = ''UPDATE'' THEN
    -- Nested: OLD has no actor_id outside domain_events, and SQL does not promise to stop at the first false.
    IF (to_jsonb(OLD) ->> ''actor_id'') IS NOT NULL AND (to_jsonb(NEW) ->> ''actor_id'') IS NULL
       AND (to_jsonb(NEW) - ''actor_id'') = (to_jsonb(OLD) - ''actor_id'') THEN
      RETURN NEW\073
    END IF\073
  END IF\073
  RAISE EXCEPTION ''% is append-only: % refused'', TG_TABLE_NAME, TG_OP
    USING ERRCODE = ''check_violation'', CONSTRAINT = TG_TABLE_NAME || ''_append_only'',
      HINT = ''Append a new row (a reversal, a revision) instead. Maintenance that must rewrite history sets threadwise.rewrite_append_only for its transaction (ADR 039).''\073
END';

CREATE TRIGGER reputation_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON reputation_entries
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER post_revisions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON post_revisions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER article_revisions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON article_revisions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER domain_events_append_only BEFORE DELETE OR TRUNCATE ON domain_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();
CREATE TRIGGER domain_events_append_only_rows BEFORE UPDATE ON domain_events
  FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();

-- 2. A thread's accepted answer is an answer (never its own question post), and its question post is a
--    question. The composite foreign keys (questions_and_answers migration) already keep both posts in the
--    thread. A post that does not exist, or belongs to another thread, is left to those keys.
CREATE FUNCTION threads_check_post_kinds() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW.accepted_answer_id IS NOT NULL AND EXISTS (SELECT 1 FROM posts WHERE id = NEW.accepted_answer_id AND kind <> ''answer'') THEN
    RAISE EXCEPTION ''thread %: post % is not an answer and cannot be its accepted answer'', NEW.id, NEW.accepted_answer_id
      USING ERRCODE = ''check_violation'', CONSTRAINT = ''threads_accepted_answer_is_answer''\073
  END IF\073
  IF NEW.question_post_id IS NOT NULL AND EXISTS (SELECT 1 FROM posts WHERE id = NEW.question_post_id AND kind <> ''question'') THEN
    RAISE EXCEPTION ''thread %: post % is not a question and cannot be its question post'', NEW.id, NEW.question_post_id
      USING ERRCODE = ''check_violation'', CONSTRAINT = ''threads_question_post_is_question''\073
  END IF\073
  RETURN NEW\073
END';

CREATE TRIGGER threads_post_kinds BEFORE INSERT OR UPDATE OF accepted_answer_id, question_post_id ON threads
  FOR EACH ROW EXECUTE FUNCTION threads_check_post_kinds();

-- A post keeps its kind: the check above holds only if an accepted answer cannot turn into a question.
CREATE FUNCTION posts_refuse_kind_change() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  RAISE EXCEPTION ''post %: its kind cannot change (% to %)'', OLD.id, OLD.kind, NEW.kind
    USING ERRCODE = ''check_violation'', CONSTRAINT = ''posts_kind_is_fixed''\073
END';

CREATE TRIGGER posts_kind_is_fixed BEFORE UPDATE OF kind ON posts
  FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION posts_refuse_kind_change();
