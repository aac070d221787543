-- AlterTable
ALTER TABLE "comments" ADD COLUMN     "mentions" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "notifications" (
    "id" BIGSERIAL NOT NULL,
    "recipient_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_key" TEXT NOT NULL,
    "event_id" BIGINT,
    "actor_id" TEXT,
    "thread_id" BIGINT,
    "post_id" BIGINT,
    "comment_id" BIGINT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),
    "withdrawn_at" TIMESTAMPTZ(3),
    "mail_id" BIGINT,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "watches" (
    "user_id" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" BIGINT NOT NULL,
    "level" TEXT NOT NULL DEFAULT 'watching',
    "reason" TEXT NOT NULL DEFAULT 'manual',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "watches_pkey" PRIMARY KEY ("target_type","target_id","user_id")
);

-- CreateTable
CREATE TABLE "notification_settings" (
    "user_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "delivery" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_settings_pkey" PRIMARY KEY ("user_id","kind")
);

-- CreateTable
CREATE TABLE "notification_mails" (
    "id" BIGSERIAL NOT NULL,
    "user_id" TEXT NOT NULL,
    "mail_key" TEXT NOT NULL,
    "to_address" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'sending',
    "message_id" TEXT NOT NULL,
    "error" TEXT NOT NULL DEFAULT '',
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_mails_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mail_bounces" (
    "user_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "bounced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mail_bounces_pkey" PRIMARY KEY ("user_id")
);

-- CreateIndex
CREATE INDEX "notifications_recipient_id_created_at_id_idx" ON "notifications"("recipient_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "notifications_post_id_idx" ON "notifications"("post_id");

-- CreateIndex
CREATE INDEX "notifications_thread_id_idx" ON "notifications"("thread_id");

-- CreateIndex
CREATE INDEX "notifications_mail_id_idx" ON "notifications"("mail_id");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_recipient_id_subject_key_key" ON "notifications"("recipient_id", "subject_key");

-- CreateIndex
CREATE INDEX "watches_user_id_created_at_idx" ON "watches"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "notification_mails_status_created_at_idx" ON "notification_mails"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "notification_mails_user_id_mail_key_key" ON "notification_mails"("user_id", "mail_key");

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_mail_id_fkey" FOREIGN KEY ("mail_id") REFERENCES "notification_mails"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "watches" ADD CONSTRAINT "watches_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_mails" ADD CONSTRAINT "notification_mails_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mail_bounces" ADD CONSTRAINT "mail_bounces_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (ADR 041): what Prisma's schema language cannot say.

-- Unread notices of a member: the bell's count and the live counts read only this index.
CREATE INDEX "notifications_unread_idx" ON "notifications"("recipient_id") WHERE "read_at" IS NULL AND "withdrawn_at" IS NULL;
-- Notices still waiting for an e-mail (immediate or digest): the digest job finds its members here.
CREATE INDEX "notifications_unmailed_idx" ON "notifications"("recipient_id", "created_at") WHERE "mail_id" IS NULL AND "read_at" IS NULL AND "withdrawn_at" IS NULL;

ALTER TABLE "watches" ADD CONSTRAINT "watches_target_type_check" CHECK ("target_type" IN ('thread', 'tag', 'category'));
ALTER TABLE "watches" ADD CONSTRAINT "watches_level_check" CHECK ("level" IN ('watching', 'muted'));
ALTER TABLE "watches" ADD CONSTRAINT "watches_reason_check" CHECK ("reason" IN ('manual', 'asked', 'answered'));
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_delivery_check" CHECK ("delivery" IN ('in_app', 'immediate', 'daily', 'weekly'));
ALTER TABLE "notification_mails" ADD CONSTRAINT "notification_mails_status_check" CHECK ("status" IN ('sending', 'sent', 'failed', 'bounced'));
UPDATE "comments" SET "mentions" = '{}' WHERE "mentions" IS NULL;
ALTER TABLE "comments" ALTER COLUMN "mentions" SET NOT NULL;

-- Handle suggestions while typing "@ann": a prefix search on the handle, whatever the collation.
CREATE INDEX "users_handle_prefix_idx" ON "users"("handle" text_pattern_ops);

-- The bell's figure, in one place: unread, not withdrawn, counted up to 100 (shown as "99+").
CREATE FUNCTION unread_notification_count(uid text) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT count(*)::integer FROM (
    SELECT 1 FROM notifications WHERE recipient_id = uid AND read_at IS NULL AND withdrawn_at IS NULL LIMIT 100
  ) unread
$$;
