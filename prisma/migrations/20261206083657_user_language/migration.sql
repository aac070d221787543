-- The member's interface and e-mail language (ADR 055). Null: the browser's choice.
ALTER TABLE "users" ADD COLUMN "language" TEXT;
ALTER TABLE "users" ADD CONSTRAINT "users_language_check" CHECK ("language" IN ('en', 'ro', 'zh-Hans', 'zh-Hant'));
