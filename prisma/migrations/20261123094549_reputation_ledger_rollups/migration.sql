-- AlterTable
ALTER TABLE "reputation_entries" ADD COLUMN     "source_key" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "reputation_period_totals" (
    "period" TEXT NOT NULL,
    "category_id" INTEGER NOT NULL,
    "user_id" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "accepted" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "reputation_period_totals_pkey" PRIMARY KEY ("period","category_id","user_id")
);

-- CreateIndex
CREATE INDEX "reputation_period_totals_period_category_id_points_idx" ON "reputation_period_totals"("period", "category_id", "points" DESC);

-- CreateIndex
CREATE INDEX "reputation_period_totals_period_category_id_accepted_idx" ON "reputation_period_totals"("period", "category_id", "accepted" DESC);

-- CreateIndex
CREATE INDEX "reputation_entries_source_key_idx" ON "reputation_entries"("source_key");

-- Hand-written: the leaderboard rollup follows the ledger. One statement-level trigger (with a
-- transition table) adds every inserted batch of entries to the totals of its periods ("all", year,
-- month, ISO week, all in UTC) for its category and for every category (0), so a bulk backfill costs one
-- grouped upsert, not one per row. Reversals count in the period they happen, and a reversal of an
-- accepted answer counts -1 accepted. The migration runner (adapter-pg's executeScript) splits the
-- script on every semicolon, even in comments and strings, so the function body is an E-string
-- whose semicolons are written as the octal escape \073.
CREATE FUNCTION reputation_entries_rollup() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO reputation_period_totals AS t (period, category_id, user_id, points, accepted)
  SELECT p.period, c.category_id, n.user_id, SUM(n.points)::int,
         SUM(CASE WHEN n.reason = ''answer_accepted'' THEN 1
                  WHEN n.reverses_id IS NOT NULL AND o.reason = ''answer_accepted'' THEN -1
                  ELSE 0 END)::int
  FROM new_rows n
  LEFT JOIN reputation_entries o ON o.id = n.reverses_id
  CROSS JOIN LATERAL (VALUES
    (''all''),
    (''y'' || to_char(n.created_at AT TIME ZONE ''UTC'', ''YYYY'')),
    (''m'' || to_char(n.created_at AT TIME ZONE ''UTC'', ''YYYY-MM'')),
    (''w'' || to_char(date_trunc(''week'', n.created_at AT TIME ZONE ''UTC''), ''YYYY-MM-DD''))
  ) AS p(period)
  CROSS JOIN LATERAL (SELECT 0 UNION ALL SELECT n.category_id WHERE n.category_id IS NOT NULL) AS c(category_id)
  GROUP BY p.period, c.category_id, n.user_id
  ON CONFLICT (period, category_id, user_id)
  DO UPDATE SET points = t.points + EXCLUDED.points, accepted = t.accepted + EXCLUDED.accepted\073
  RETURN NULL\073
END';

CREATE TRIGGER reputation_entries_rollup AFTER INSERT ON reputation_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reputation_entries_rollup();

-- Entries written by `npm run reputation:backfill` for history that has no domain event (bulk
-- imports, the large seed) take a negative event id from this sequence (ADR 017).
CREATE SEQUENCE reputation_backfill_event_seq;
