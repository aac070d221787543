-- Hand-written (ADR 068): the lift-ended-suspensions job looks every minute for suspensions whose end has
-- passed. This partial index holds only suspended accounts, so the look-up costs nothing on a large users table.
CREATE INDEX "users_suspended_until_idx" ON "users" ("suspended_until") WHERE "status" = 'suspended';
