import { Prisma } from "~/generated/prisma/client.ts";

/**
 * The one definition of a thread that sitemaps, feeds and structured data may name (ADR 054), for
 * queries that alias `threads` as `t`. Threads are about to gain "unlisted" and "merged" states (the
 * threads branch: `unlisted_at`, `merged_into_id`): excluding them is
 * `AND t.unlisted_at IS NULL AND t.merged_into_id IS NULL` on this line, and every sitemap and feed follows.
 */
export const PUBLIC_THREAD = Prisma.sql`t.hidden_at IS NULL AND t.deleted_at IS NULL`;
