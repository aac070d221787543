-- AlterTable
ALTER TABLE "categories" ADD COLUMN     "escalate_after_hours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "expert_offer_hours" INTEGER NOT NULL DEFAULT 12;

-- CreateTable
CREATE TABLE "visitor_links" (
    "visitor_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "linked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "visitor_links_pkey" PRIMARY KEY ("visitor_id","user_id")
);

-- CreateTable
CREATE TABLE "support_tickets" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" TEXT NOT NULL,
    "visitor_id" TEXT,
    "source" TEXT NOT NULL,
    "thread_id" BIGINT,
    "article_id" BIGINT,
    "message" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'new',
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "assignee_id" TEXT,
    "outcome" TEXT,
    "outcome_link" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "waiting_since" TIMESTAMPTZ(3),
    "first_response_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "support_tickets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_messages" (
    "id" BIGSERIAL NOT NULL,
    "ticket_id" BIGINT NOT NULL,
    "author_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "published_post_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "thread_followups" (
    "thread_id" BIGINT NOT NULL,
    "offered_at" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),
    "check_asked_at" TIMESTAMPTZ(3),
    "verdict" TEXT,
    "verdict_at" TIMESTAMPTZ(3),

    CONSTRAINT "thread_followups_pkey" PRIMARY KEY ("thread_id")
);

-- CreateIndex
CREATE INDEX "visitor_links_user_id_idx" ON "visitor_links"("user_id");

-- CreateIndex
CREATE INDEX "support_tickets_status_waiting_since_idx" ON "support_tickets"("status", "waiting_since");

-- CreateIndex
CREATE INDEX "support_tickets_created_at_idx" ON "support_tickets"("created_at");

-- CreateIndex
CREATE INDEX "support_tickets_customer_id_created_at_idx" ON "support_tickets"("customer_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "support_tickets_assignee_id_status_idx" ON "support_tickets"("assignee_id", "status");

-- CreateIndex
CREATE INDEX "support_tickets_thread_id_idx" ON "support_tickets"("thread_id");

-- CreateIndex
CREATE INDEX "ticket_messages_ticket_id_created_at_idx" ON "ticket_messages"("ticket_id", "created_at");

-- CreateIndex
CREATE INDEX "thread_followups_check_asked_at_idx" ON "thread_followups"("check_asked_at");

-- AddForeignKey
ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "support_tickets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (issue 20, ADR 057): the rules the database keeps for tickets and the journey.
ALTER TABLE "visitor_links" ADD CONSTRAINT "visitor_links_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL;
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE SET NULL;
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE SET NULL;
ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE;
ALTER TABLE "thread_followups" ADD CONSTRAINT "thread_followups_thread_id_fkey" FOREIGN KEY ("thread_id") REFERENCES "threads"("id") ON DELETE CASCADE;
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_status_check" CHECK ("status" IN ('new', 'open', 'waiting', 'solved', 'closed'));
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_priority_check" CHECK ("priority" IN ('low', 'normal', 'high', 'urgent'));
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_source_check" CHECK ("source" IN ('thread', 'article', 'search', 'ask', 'routing'));
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_outcome_check" CHECK ("outcome" IS NULL OR "outcome" IN ('staff_answer', 'article', 'thread', 'duplicate', 'not_a_problem'));
ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_kind_check" CHECK ("kind" IN ('customer', 'reply', 'note'));
ALTER TABLE "thread_followups" ADD CONSTRAINT "thread_followups_verdict_check" CHECK ("verdict" IS NULL OR "verdict" IN ('yes', 'no'));
ALTER TABLE "categories" ADD CONSTRAINT "categories_routing_delays_check" CHECK ("expert_offer_hours" BETWEEN 1 AND 720 AND "escalate_after_hours" BETWEEN 1 AND 720);
-- One automatically escalated ticket per question, however often the routing job runs.
CREATE UNIQUE INDEX "support_tickets_one_routing_per_thread" ON "support_tickets"("thread_id") WHERE "source" = 'routing';
-- The staff queue: open tickets, oldest waiting first.
CREATE INDEX "support_tickets_queue_idx" ON "support_tickets"("waiting_since" NULLS LAST, "id") WHERE "status" NOT IN ('solved', 'closed');
-- The journey reads "helpful?" answers by visitor.
CREATE INDEX "article_feedback_visitor_key_idx" ON "article_feedback"("visitor_key", "updated_at");
