-- Hand-written (ADR 077): the dashboard at five times the data.
--
-- 1. The top experts of a range start from the accepted answers and their reversals in it: this partial
--    index holds only those ledger rows (3 % of the ledger), with what the count needs, so reading 90 days
--    of them is an index-only scan instead of 1.5 million rows of every reason.
CREATE INDEX "reputation_entries_acceptances_idx" ON "reputation_entries" ("created_at") INCLUDE ("user_id", "category_id", "reverses_id")
  WHERE "reason" = 'answer_accepted' OR "reverses_id" IS NOT NULL;

-- 2. No JIT compilation for this database's sessions of the app's role. PostgreSQL compiles a statement
--    whose estimated cost passes jit_above_cost (100,000), which the dashboard's statements do on a large
--    dataset: compiling took 300 to 400 ms for statements that run in 100 ms. Threadwise runs no statement
--    long enough to gain from it. A role may set its own defaults, and where the database refuses (a managed
--    service), the migration goes on and says so. The migration runner splits scripts on every semicolon,
--    hence the E-string with octal \073.
DO E'BEGIN
  EXECUTE format(''ALTER ROLE %I IN DATABASE %I SET jit = off'', current_user, current_database())\073
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE ''jit stays on: this role may not change its defaults (ADR 077)''\073
END';
