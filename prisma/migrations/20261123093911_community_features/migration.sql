-- CreateEnum
CREATE TYPE "ArticleStatus" AS ENUM ('draft', 'published', 'archived');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "expert_category_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- CreateTable
CREATE TABLE "reputation_entries" (
    "id" BIGSERIAL NOT NULL,
    "user_id" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "event_id" BIGINT NOT NULL,
    "post_id" BIGINT,
    "thread_id" BIGINT,
    "category_id" INTEGER,
    "reverses_id" BIGINT,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reputation_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_badges" (
    "id" BIGSERIAL NOT NULL,
    "user_id" TEXT NOT NULL,
    "badge" TEXT NOT NULL,
    "scope_key" TEXT NOT NULL DEFAULT '',
    "category_id" INTEGER,
    "post_id" BIGINT,
    "event_id" BIGINT,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_badges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "search_documents" (
    "doc_key" TEXT NOT NULL,
    "doc_type" TEXT NOT NULL,
    "category_id" INTEGER,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "resolved" BOOLEAN NOT NULL DEFAULT false,
    "score" INTEGER NOT NULL DEFAULT 0,
    "visible" BOOLEAN NOT NULL DEFAULT true,
    "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "search_documents_pkey" PRIMARY KEY ("doc_key")
);

-- CreateTable
CREATE TABLE "search_index_versions" (
    "id" BIGSERIAL NOT NULL,
    "high_water_seq" BIGINT NOT NULL,
    "doc_count" INTEGER NOT NULL,
    "shard_count" INTEGER NOT NULL,
    "total_bytes" BIGINT NOT NULL,
    "build_ms" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'building',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "search_index_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "search_index_shards" (
    "version_id" BIGINT NOT NULL,
    "shard" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "search_index_shards_pkey" PRIMARY KEY ("version_id","shard")
);

-- CreateTable
CREATE TABLE "search_queries" (
    "id" BIGSERIAL NOT NULL,
    "query" TEXT NOT NULL,
    "terms" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "language" TEXT NOT NULL DEFAULT '',
    "result_count" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "user_id" TEXT,
    "visitor_key" TEXT,
    "category_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "opened_doc" TEXT,
    "opened_at" TIMESTAMPTZ(3),

    CONSTRAINT "search_queries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "articles" (
    "id" BIGSERIAL NOT NULL,
    "category_id" INTEGER NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body_json" JSONB NOT NULL,
    "body_html" TEXT NOT NULL,
    "body_text" TEXT NOT NULL,
    "status" "ArticleStatus" NOT NULL DEFAULT 'draft',
    "owner_id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "review_by" DATE,
    "revision_count" INTEGER NOT NULL DEFAULT 1,
    "view_count" INTEGER NOT NULL DEFAULT 0,
    "helpful_yes" INTEGER NOT NULL DEFAULT 0,
    "helpful_no" INTEGER NOT NULL DEFAULT 0,
    "published_at" TIMESTAMPTZ(3),
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "articles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "article_tags" (
    "article_id" BIGINT NOT NULL,
    "tag_id" INTEGER NOT NULL,

    CONSTRAINT "article_tags_pkey" PRIMARY KEY ("article_id","tag_id")
);

-- CreateTable
CREATE TABLE "article_revisions" (
    "id" BIGSERIAL NOT NULL,
    "article_id" BIGINT NOT NULL,
    "revision" INTEGER NOT NULL,
    "editor_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body_json" JSONB NOT NULL,
    "body_text" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "article_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "article_sources" (
    "article_id" BIGINT NOT NULL,
    "thread_id" BIGINT NOT NULL,
    "credited_user_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "article_sources_pkey" PRIMARY KEY ("article_id","thread_id")
);

-- CreateTable
CREATE TABLE "article_feedback" (
    "article_id" BIGINT NOT NULL,
    "visitor_key" TEXT NOT NULL,
    "user_id" TEXT,
    "helpful" BOOLEAN NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "article_feedback_pkey" PRIMARY KEY ("article_id","visitor_key")
);

-- CreateTable
CREATE TABLE "article_views" (
    "article_id" BIGINT NOT NULL,
    "visitor_key" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "user_id" TEXT,
    "viewed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "article_views_pkey" PRIMARY KEY ("article_id","visitor_key","day")
);

-- CreateTable
CREATE TABLE "recurring_topic_reports" (
    "id" BIGSERIAL NOT NULL,
    "period_days" INTEGER NOT NULL,
    "category_id" INTEGER,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "topics" JSONB NOT NULL,

    CONSTRAINT "recurring_topic_reports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reputation_entries_reverses_id_key" ON "reputation_entries"("reverses_id");

-- CreateIndex
CREATE INDEX "reputation_entries_user_id_created_at_idx" ON "reputation_entries"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "reputation_entries_created_at_idx" ON "reputation_entries"("created_at");

-- CreateIndex
CREATE INDEX "reputation_entries_category_id_created_at_idx" ON "reputation_entries"("category_id", "created_at");

-- CreateIndex
CREATE INDEX "reputation_entries_post_id_idx" ON "reputation_entries"("post_id");

-- CreateIndex
CREATE UNIQUE INDEX "reputation_entries_event_id_user_id_reason_key" ON "reputation_entries"("event_id", "user_id", "reason");

-- CreateIndex
CREATE INDEX "user_badges_badge_granted_at_idx" ON "user_badges"("badge", "granted_at" DESC);

-- CreateIndex
CREATE INDEX "user_badges_user_id_idx" ON "user_badges"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "search_documents_seq_key" ON "search_documents"("seq");

-- CreateIndex
CREATE INDEX "search_queries_created_at_idx" ON "search_queries"("created_at");

-- CreateIndex
CREATE INDEX "search_queries_visitor_key_created_at_idx" ON "search_queries"("visitor_key", "created_at");

-- CreateIndex
CREATE INDEX "search_queries_result_count_created_at_idx" ON "search_queries"("result_count", "created_at");

-- CreateIndex
CREATE INDEX "articles_status_category_id_idx" ON "articles"("status", "category_id");

-- CreateIndex
CREATE INDEX "articles_review_by_idx" ON "articles"("review_by");

-- CreateIndex
CREATE UNIQUE INDEX "articles_category_id_slug_key" ON "articles"("category_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "article_revisions_article_id_revision_key" ON "article_revisions"("article_id", "revision");

-- CreateIndex
CREATE UNIQUE INDEX "article_sources_thread_id_key" ON "article_sources"("thread_id");

-- CreateIndex
CREATE INDEX "article_feedback_updated_at_idx" ON "article_feedback"("updated_at");

-- CreateIndex
CREATE INDEX "article_views_visitor_key_viewed_at_idx" ON "article_views"("visitor_key", "viewed_at");

-- CreateIndex
CREATE INDEX "article_views_day_idx" ON "article_views"("day");

-- CreateIndex
CREATE INDEX "recurring_topic_reports_period_days_computed_at_idx" ON "recurring_topic_reports"("period_days", "computed_at" DESC);

-- AddForeignKey
ALTER TABLE "search_index_shards" ADD CONSTRAINT "search_index_shards_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "search_index_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_tags" ADD CONSTRAINT "article_tags_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_revisions" ADD CONSTRAINT "article_revisions_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_sources" ADD CONSTRAINT "article_sources_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_feedback" ADD CONSTRAINT "article_feedback_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_views" ADD CONSTRAINT "article_views_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: one live badge per member, badge and scope (a revoked row keeps its history).
CREATE UNIQUE INDEX "user_badges_live_key" ON "user_badges"("user_id", "badge", "scope_key") WHERE "revoked_at" IS NULL;
-- search_documents.seq comes from this sequence: every upsert takes nextval, so the order of
-- changes is total and "changed since version N" is a range scan on the unique seq index.
CREATE SEQUENCE "search_documents_seq_seq" AS BIGINT;
ALTER TABLE "search_documents" ALTER COLUMN "seq" SET DEFAULT nextval('search_documents_seq_seq');
ALTER TABLE "article_feedback" ADD CONSTRAINT "article_feedback_comment_length" CHECK (char_length("comment") <= 500);
