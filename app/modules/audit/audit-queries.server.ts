import { Prisma } from "~/generated/prisma/client.ts";
import type { CsvCell } from "~/modules/metrics/csv.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { prisma } from "~/utils/db.server.ts";
import { forbidden, invalid, ok, type Result } from "~/utils/http.server.ts";
import { canReadAuditLog, canSeeAuditAddresses } from "./audit.policy.ts";
import { AUDIT_TARGET_TYPES, auditFilterInput, AuditFilterSchema, cursorOf, type AuditFilter } from "./audit.schema.ts";
import { postPath } from "~/modules/seo/seo-urls.ts";

export const AUDIT_PAGE_SIZE = 50;
const EXPORT_PAGE = 500;

/** One audit row as the page shows it: who (with a profile link while the account exists), and the target's link where it still exists. */
export type AuditRowDto = {
  id: string;
  createdAt: string;
  actor: { handle: string | null; profileHandle: string | null } | null;
  action: string;
  targetType: string;
  targetId: string;
  target: { href: string; name: string | null } | null;
  reason: string;
  before: unknown;
  after: unknown;
  ipAddress: string | null;
};

type Row = {
  id: bigint; created_at: Date; actor_id: string | null; actor_handle: string | null; actor_now: string | null; action: string; target_type: string; target_id: string;
  reason: string; before: unknown; after: unknown; ip_address: string | null;
  user_handle: string | null; category_slug: string | null; category_name: string | null; post_thread: bigint | null; thread_title: string | null; article_title: string | null;
};

/**
 * The actor filter: the account that has this handle now (through the actor index), or, when no account
 * has it any more, the rows whose copied handle was it (a renamed or removed account).
 */
async function actorCondition(handle: string): Promise<Prisma.Sql> {
  const [user] = await prisma.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE lower(handle) = lower(${handle}) LIMIT 1`;
  return user ? Prisma.sql`a.actor_id = ${user.id}` : Prisma.sql`lower(a.actor_handle) = lower(${handle})`;
}

async function conditions(filter: AuditFilter): Promise<Prisma.Sql> {
  const where: Prisma.Sql[] = [];
  if (filter.actor) where.push(await actorCondition(filter.actor));
  if (filter.action) where.push(Prisma.sql`a.action = ${filter.action}`);
  // A target id without a kind still goes through the (target_type, target_id) index: every kind is listed.
  if (filter.targetType || filter.targetId) where.push(Prisma.sql`a.target_type IN (${Prisma.join(filter.targetType ? [filter.targetType] : AUDIT_TARGET_TYPES)})`);
  if (filter.targetId) where.push(Prisma.sql`a.target_id = ${filter.targetId}`);
  if (filter.from) where.push(Prisma.sql`a.created_at >= ${`${filter.from}T00:00:00Z`}::timestamptz`);
  if (filter.to) where.push(Prisma.sql`a.created_at < ${`${filter.to}T00:00:00Z`}::timestamptz + interval '1 day'`);
  if (filter.after) where.push(Prisma.sql`(a.created_at, a.id) < (${filter.after.at}::timestamptz, ${filter.after.id}::bigint)`);
  return where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty;
}

/** Numeric targets are joined through a guarded cast (CASE keeps a non-numeric id from ever being cast). */
const numericTarget = (type: string) => Prisma.sql`CASE WHEN a.target_type = ${type} AND a.target_id ~ '^[0-9]{1,18}$' THEN a.target_id::bigint END`;

async function page(filter: AuditFilter, limit: number): Promise<Row[]> {
  return prisma.$queryRaw<Row[]>`
    SELECT a.id, a.created_at, a.actor_id, a.actor_handle, au.handle AS actor_now, a.action, a.target_type, a.target_id, a.reason, a.before, a.after, a.ip_address,
      tu.handle AS user_handle, c.slug AS category_slug, c.name AS category_name, p.thread_id AS post_thread, t.title AS thread_title, ar.title AS article_title
    FROM audit_log a
    LEFT JOIN users au ON au.id = a.actor_id
    LEFT JOIN users tu ON a.target_type = 'user' AND tu.id = a.target_id
    LEFT JOIN categories c ON c.id = ${numericTarget("category")}
    LEFT JOIN posts p ON p.id = ${numericTarget("post")}
    LEFT JOIN threads t ON t.id = ${numericTarget("thread")}
    LEFT JOIN articles ar ON ar.id = ${numericTarget("article")}
    ${await conditions(filter)}
    ORDER BY a.created_at DESC, a.id DESC
    LIMIT ${limit}`;
}

function targetOf(row: Row): AuditRowDto["target"] {
  switch (row.target_type) {
    case "user":
      return row.user_handle ? { href: `/u/${row.user_handle}`, name: `@${row.user_handle}` } : null;
    case "category":
      return row.category_slug ? { href: `/categories/${row.category_slug}`, name: row.category_name } : null;
    case "post":
      return row.post_thread !== null ? { href: postPath(`/questions/${row.post_thread}`, row.target_id), name: null } : null;
    case "thread":
      return row.thread_title !== null ? { href: `/questions/${row.target_id}`, name: row.thread_title } : null;
    case "article":
      return row.article_title !== null ? { href: `/kb/${row.target_id}`, name: row.article_title } : null;
    default:
      return null;
  }
}

function toDto(row: Row): AuditRowDto {
  return {
    id: row.id.toString(),
    createdAt: row.created_at.toISOString(),
    actor: row.actor_id === null ? null : { handle: row.actor_handle, profileHandle: row.actor_now },
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    target: targetOf(row),
    reason: row.reason,
    before: row.before,
    after: row.after,
    ipAddress: row.ip_address,
  };
}

/** A page of the audit log, newest first, filtered; keyset-paginated on (time, id) so deep pages cost what the first does. */
export async function listAuditEntries(filter: AuditFilter, limit = AUDIT_PAGE_SIZE, withAddresses = true): Promise<{ entries: AuditRowDto[]; nextCursor: string | null }> {
  const rows = (await page(filter, limit + 1)).map((r) => (withAddresses ? r : { ...r, ip_address: null }));
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { entries: shown.map(toDto), nextCursor: rows.length > limit && last ? cursorOf({ createdAt: last.created_at, id: last.id }) : null };
}

export const AUDIT_CSV_HEADER = ["id", "created_at", "actor_handle", "actor_id", "action", "target_type", "target_id", "reason", "before", "after", "ip_address"];

/** The whole filtered log as CSV rows, read 500 at a time with the same keyset (the CSV writer guards formulas). */
export async function* auditCsvRows(filter: AuditFilter, withAddresses = true): AsyncGenerator<CsvCell[]> {
  let cursor = filter.after;
  for (;;) {
    const rows = await page({ ...filter, after: cursor }, EXPORT_PAGE);
    for (const r of rows) {
      yield [r.id.toString(), r.created_at.toISOString(), r.actor_handle, r.actor_id, r.action, r.target_type, r.target_id, r.reason, r.before == null ? null : JSON.stringify(r.before), r.after == null ? null : JSON.stringify(r.after), withAddresses ? r.ip_address : null];
    }
    if (rows.length < EXPORT_PAGE) return;
    const last = rows.at(-1)!;
    cursor = { at: last.created_at, id: last.id };
  }
}

function readFilter(actor: Actor | null, params: URLSearchParams): Result<AuditFilter> {
  if (!canReadAuditLog(actor)) return forbidden("messages.audit.forbidden");
  const parsed = AuditFilterSchema.safeParse(auditFilterInput(params));
  if (!parsed.success) {
    const errors = parsed.error.flatten();
    return invalid(errors.fieldErrors as Record<string, string[]>, errors.formErrors);
  }
  return ok(parsed.data);
}

/** /admin/audit: the policy, the filters from the query string, then a page of rows. */
export async function getAuditPage(actor: Actor | null, params: URLSearchParams): Promise<Result<{ entries: AuditRowDto[]; nextCursor: string | null }>> {
  const filter = readFilter(actor, params);
  if (!filter.ok) return filter;
  return ok(await listAuditEntries(filter.value, AUDIT_PAGE_SIZE, canSeeAuditAddresses(actor)));
}

/** /admin/audit.csv: the same policy and filters, every matching row (from the cursor on, if one is given). */
export function getAuditExport(actor: Actor | null, params: URLSearchParams): Result<{ filename: string; header: string[]; rows: AsyncIterable<CsvCell[]> }> {
  const filter = readFilter(actor, params);
  if (!filter.ok) return filter;
  const { from, to } = filter.value;
  const filename = `threadwise-audit${from ? `-from-${from}` : ""}${to ? `-to-${to}` : ""}.csv`;
  return ok({ filename, header: AUDIT_CSV_HEADER, rows: auditCsvRows(filter.value, canSeeAuditAddresses(actor)) });
}
