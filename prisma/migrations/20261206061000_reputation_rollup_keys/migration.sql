-- Hand-written (ADR 040). The periods and categories an entry counts in on the leaderboards, as one
-- SQL function used by the rollup trigger and by `npm run reputation:verify` (which recomputes the
-- whole rollup from the ledger with it): "all", the UTC year, month and ISO week (its Monday), each
-- for the entry's category and for every category (0). Every period is a union of (ISO week, month)
-- pairs: the trigger relies on that to add up entries of one week and month before calling it. A
-- plain SQL function over constant VALUES, so the planner inlines it and builds no per-row VALUES list.
CREATE FUNCTION reputation_rollup_keys(entry_category integer, entry_at timestamptz)
RETURNS TABLE (period text, category_id integer) LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE p.kind
           WHEN 0 THEN 'all'
           WHEN 1 THEN 'y' || to_char(entry_at AT TIME ZONE 'UTC', 'YYYY')
           WHEN 2 THEN 'm' || to_char(entry_at AT TIME ZONE 'UTC', 'YYYY-MM')
           ELSE 'w' || to_char(date_trunc('week', entry_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')
         END,
         CASE WHEN c.own THEN entry_category ELSE 0 END
  FROM (VALUES (0), (1), (2), (3)) AS p(kind) CROSS JOIN (VALUES (false), (true)) AS c(own)
  WHERE NOT c.own OR entry_category IS NOT NULL
$$;

-- How an entry moves a member's accepted-answer count: +1 for an accepted answer, -1 for the reversal
-- of one (reversed_reason is the reason of the entry a reversal cancels).
CREATE FUNCTION reputation_accepted_delta(reason text, reversed_reason text)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN reason = 'answer_accepted' THEN 1 WHEN reversed_reason = 'answer_accepted' THEN -1 ELSE 0 END
$$;

-- The rollup trigger: the same totals as before, cheaper on the large batches of `npm run
-- reputation:backfill`. The reversed entry's reason is looked up by primary key only for reversals
-- (the old LEFT JOIN hashed the whole ledger on every batch), entries of one member, category, week
-- and month are added up before they fan out to their periods, and the rows are written in primary-key
-- order. The body is an E-string with its semicolons written as \073 (the migration runner splits the
-- script on every semicolon, ADR 017).
CREATE OR REPLACE FUNCTION reputation_entries_rollup() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO reputation_period_totals AS t (period, category_id, user_id, points, accepted)
  SELECT k.period COLLATE "C", k.category_id, g.user_id COLLATE "C", SUM(g.points)::int, SUM(g.accepted)::int
  FROM (
    SELECT n.user_id, n.category_id, MIN(n.created_at) AS at, SUM(n.points) AS points,
           SUM(reputation_accepted_delta(n.reason,
             CASE WHEN n.reverses_id IS NOT NULL THEN (SELECT o.reason FROM reputation_entries o WHERE o.id = n.reverses_id) END)) AS accepted
    FROM new_rows n
    GROUP BY n.user_id, n.category_id, date_trunc(''week'', n.created_at AT TIME ZONE ''UTC''), date_trunc(''month'', n.created_at AT TIME ZONE ''UTC'')
  ) AS g
  CROSS JOIN LATERAL reputation_rollup_keys(g.category_id, g.at) AS k
  GROUP BY k.period COLLATE "C", k.category_id, g.user_id COLLATE "C"
  ORDER BY k.period COLLATE "C", k.category_id, g.user_id COLLATE "C"
  ON CONFLICT (period, category_id, user_id)
  DO UPDATE SET points = t.points + EXCLUDED.points, accepted = t.accepted + EXCLUDED.accepted\073
  RETURN NULL\073
END';
