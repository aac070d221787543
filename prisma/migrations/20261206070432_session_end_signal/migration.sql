-- Hand-written (ADR 041): ending a session tells every app server, so a notification stream opened with it ends
-- at once (live-counts.server.ts re-checks the streams' sessions whenever it reads a member's count). Whatever
-- deletes sessions (sign out, sign out everywhere, revoking one, suspension, demotion, a password change or reset,
-- the hourly cleanup) announces their members on the live counts' channel, 200 ids per notification, once per
-- statement. Function bodies are E-strings whose semicolons are \073 (the migration runner splits on them).
CREATE FUNCTION sessions_signal_ended() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''threadwise_notifications'', string_agg(user_id, '','')) FROM (
    SELECT user_id, (row_number() OVER () - 1) / 200 AS chunk FROM (SELECT DISTINCT user_id FROM ended) d
  ) x GROUP BY chunk\073
  RETURN NULL\073
END';

CREATE TRIGGER sessions_ended AFTER DELETE ON sessions REFERENCING OLD TABLE AS ended
  FOR EACH STATEMENT EXECUTE FUNCTION sessions_signal_ended();
