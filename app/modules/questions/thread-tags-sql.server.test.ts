import { expect, test } from "vitest";
import { Prisma } from "~/generated/prisma/client.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { threadTagNamesSql } from "./thread-tags-sql.server.ts";

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

test("a thread's tag names come sorted, in any script, each read by key however many tags the site has (ADR 074)", async () => {
  const category = await makeCategory();
  const asker = await makeUser();
  const { threadId } = await makeQuestion(asker.id, { categoryId: category.id, tags: ["导出", "facturi", "billing"] });
  // A site with many tags: a join of thread_tags and tags made PostgreSQL hash the whole table for every thread.
  await prisma.$executeRaw`INSERT INTO tags (name) SELECT 'bulk-tag-' || g FROM generate_series(1, 500) g`;
  await prisma.$executeRaw`INSERT INTO thread_tags (thread_id, tag_id) SELECT ${threadId}, id FROM tags WHERE name LIKE 'bulk-tag-1%'`;
  await prisma.$executeRaw`ANALYZE tags`;
  await prisma.$executeRaw`ANALYZE thread_tags`;
  const sql = Prisma.sql`SELECT t.id, ${threadTagNamesSql("t")} AS tags FROM threads t WHERE t.id = ${threadId}`;
  const [row] = await prisma.$queryRaw<{ tags: string[] }[]>(sql);
  expect(row!.tags.filter((name) => !name.startsWith("bulk-tag-"))).toEqual(["billing", "facturi", "导出"]);
  expect(row!.tags).toHaveLength(3 + 111);
  const [explained] = await prisma.$queryRawUnsafe<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(`EXPLAIN (FORMAT JSON) ${sql.text}`, ...sql.values);
  const scansOfTags = nodes(explained!["QUERY PLAN"][0].Plan).filter((n) => n["Relation Name"] === "tags").map((n) => n["Node Type"]);
  expect(scansOfTags).toEqual(["Index Scan"]);
});
