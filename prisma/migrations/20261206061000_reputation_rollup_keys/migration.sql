-- Hand-written (ADR 040). The periods and categories an entry counts in on the leaderboards, as one
-- SQL function used by the rollup trigger and by `npm run reputation:verify` (which recomputes the
-- whole rollup from the ledger with it): "all", the UTC year, month and ISO week (its Monday), each
-- for the entry's category and for every category (0). A plain SQL function, so the planner inlines it.
CREATE FUNCTION reputation_rollup_keys(entry_category integer, entry_at timestamptz)
RETURNS TABLE (period text, category_id integer) LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT p.period, c.category_id
  FROM (VALUES
    ('all'),
    ('y' || to_char(entry_at AT TIME ZONE 'UTC', 'YYYY')),
    ('m' || to_char(entry_at AT TIME ZONE 'UTC', 'YYYY-MM')),
    ('w' || to_char(date_trunc('week', entry_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'))
  ) AS p(period)
  CROSS JOIN (SELECT 0 UNION ALL SELECT entry_category WHERE entry_category IS NOT NULL) AS c(category_id)
$$;

-- How an entry moves a member's accepted-answer count: +1 for an accepted answer, -1 for the reversal
-- of one (reversed_reason is the reason of the entry a reversal cancels).
CREATE FUNCTION reputation_accepted_delta(reason text, reversed_reason text)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN reason = 'answer_accepted' THEN 1 WHEN reversed_reason = 'answer_accepted' THEN -1 ELSE 0 END
$$;

-- The rollup trigger, same totals as before, cheaper on the large batches of `npm run
-- reputation:backfill`: the reversed entry's reason is looked up (by primary key) only for reversals,
-- where the old LEFT JOIN hashed the whole ledger on every batch, and the grouped rows are written in
-- primary-key order. The body is an E-string with its semicolons written as \073 (the migration runner
-- splits the script on every semicolon, ADR 017).
CREATE OR REPLACE FUNCTION reputation_entries_rollup() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO reputation_period_totals AS t (period, category_id, user_id, points, accepted)
  SELECT k.period, k.category_id, n.user_id, SUM(n.points)::int,
         SUM(reputation_accepted_delta(n.reason,
           CASE WHEN n.reverses_id IS NOT NULL THEN (SELECT o.reason FROM reputation_entries o WHERE o.id = n.reverses_id) END))::int
  FROM new_rows n
  CROSS JOIN LATERAL reputation_rollup_keys(n.category_id, n.created_at) AS k
  GROUP BY k.period, k.category_id, n.user_id
  ORDER BY k.period, k.category_id, n.user_id
  ON CONFLICT (period, category_id, user_id)
  DO UPDATE SET points = t.points + EXCLUDED.points, accepted = t.accepted + EXCLUDED.accepted\073
  RETURN NULL\073
END';
