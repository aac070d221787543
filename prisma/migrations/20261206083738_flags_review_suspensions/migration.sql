-- AlterTable
ALTER TABLE "users" ADD COLUMN     "silence_reason" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "silenced_at" TIMESTAMPTZ(3),
ADD COLUMN     "silenced_until" TIMESTAMPTZ(3),
ADD COLUMN     "suspended_until" TIMESTAMPTZ(3),
ADD COLUMN     "suspension_reason" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "posts" ADD COLUMN     "held_for" TEXT;

-- CreateTable
CREATE TABLE "post_flags" (
    "id" BIGSERIAL NOT NULL,
    "post_id" BIGINT NOT NULL,
    "flagger_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by_id" TEXT,

    CONSTRAINT "post_flags_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "site_settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by_id" TEXT,

    CONSTRAINT "site_settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "post_flags_status_post_id_idx" ON "post_flags"("status", "post_id");

-- CreateIndex
CREATE INDEX "post_flags_flagger_id_created_at_idx" ON "post_flags"("flagger_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "post_flags_post_id_flagger_id_key" ON "post_flags"("post_id", "flagger_id");

-- AddForeignKey
ALTER TABLE "post_flags" ADD CONSTRAINT "post_flags_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "post_flags" ADD CONSTRAINT "post_flags_flagger_id_fkey" FOREIGN KEY ("flagger_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The reasons and states the code knows (flags.schema.ts), kept by the database too.
ALTER TABLE "post_flags" ADD CONSTRAINT "post_flags_reason_check" CHECK ("reason" IN ('spam', 'rude', 'off_topic', 'duplicate', 'other'));
ALTER TABLE "post_flags" ADD CONSTRAINT "post_flags_status_check" CHECK ("status" IN ('pending', 'agreed', 'disagreed'));
ALTER TABLE "posts" ADD CONSTRAINT "posts_held_for_check" CHECK ("held_for" IS NULL OR ("held_for" IN ('first_post', 'spam_check') AND "hidden_at" IS NOT NULL));
