import type { Tx } from "./db.server.ts";

/**
 * The tables the database keeps append-only (migration `…_append_only_and_accepted_answer`, ADR 039):
 * UPDATE, DELETE and TRUNCATE are refused by triggers; a change is a new row (a reversal, a revision).
 */
export const APPEND_ONLY_TABLES = ["reputation_entries", "post_revisions", "article_revisions", "domain_events", "audit_log"] as const;
export type AppendOnlyTable = (typeof APPEND_ONLY_TABLES)[number];

/**
 * The escape hatch for maintenance that must rewrite history (a ledger rebuilt from scratch, an erasure
 * request): lets this transaction update, delete or truncate rows of the named tables, and only those,
 * until it commits or rolls back (`set_config(…, true)` is transaction-local, so a pooled connection
 * never keeps it). Use cases never call it; a maintenance command that does says why in its own doc
 * comment. A rewritten ledger must also rebuild what its insert trigger keeps (reputation_period_totals).
 */
export async function allowAppendOnlyRewrite(tx: Tx, tables: readonly AppendOnlyTable[]): Promise<void> {
  await tx.$queryRaw`SELECT set_config('threadwise.rewrite_append_only', ${tables.join(",")}, true)`;
}
