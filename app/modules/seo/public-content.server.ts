import { Prisma } from "~/generated/prisma/client.ts";

/**
 * The one definition of a thread that sitemaps, feeds and structured data may name (ADR 054), for
 * queries that alias `threads` as `t`: neither hidden nor deleted, nor unlisted nor merged into another
 * thread (ADR 048), so every sitemap and feed leaves those out.
 */
export const PUBLIC_THREAD = Prisma.sql`t.hidden_at IS NULL AND t.deleted_at IS NULL AND t.unlisted_at IS NULL AND t.merged_into_id IS NULL`;
