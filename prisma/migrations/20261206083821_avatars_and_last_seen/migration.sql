-- Issue 24 (ADR 052): an optional uploaded avatar, and when a member was last seen (written at most every few minutes).
ALTER TABLE "users" ADD COLUMN "avatar_key" TEXT;
ALTER TABLE "users" ADD COLUMN "last_seen_at" TIMESTAMPTZ(3);
