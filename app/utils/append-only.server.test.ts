import { describe, expect, test } from "vitest";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { editPost } from "~/modules/questions/edit-post.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, makeCategory, makeQuestion, makeUser } from "../../tests/support/factories.ts";
import { allowAppendOnlyRewrite } from "./append-only.server.ts";

/** The database, not only the code, keeps the ledger, the revision histories and the event log append-only (ADR 039). */
const REFUSED = /is append-only/;

async function snapshot() {
  const [row] = await prisma.$queryRaw<{ ledger: string; posts: string; articles: string; events: string }[]>`
    SELECT (SELECT md5(string_agg(r::text, ',' ORDER BY r.id)) FROM reputation_entries r) AS ledger,
           (SELECT md5(string_agg(r::text, ',' ORDER BY r.id)) FROM post_revisions r) AS posts,
           (SELECT md5(string_agg(r::text, ',' ORDER BY r.id)) FROM article_revisions r) AS articles,
           (SELECT md5(string_agg(e::text, ',' ORDER BY e.id)) FROM domain_events e) AS events`;
  return row!;
}

describe("append-only tables", () => {
  test("the ledger, both revision histories and the event log refuse UPDATE, DELETE and TRUNCATE, and keep every row", async () => {
    const author = await makeUser({ role: "staff" }); // makeUser earns its reputation through a ledger entry
    const { postId } = await makeQuestion(author.id);
    const article = await createArticle(author.id, { categoryId: String((await makeCategory()).id), title: "Exporting invoices", body: docJson("Open Billing, then Invoices, then use the Export menu."), tags: "billing" });
    expect(article.ok).toBe(true);
    const before = await snapshot();
    expect(Object.values(before).every((hash) => hash !== null)).toBe(true);

    const attempts = [
      prisma.$executeRaw`UPDATE reputation_entries SET points = points + 1000`,
      prisma.$executeRaw`DELETE FROM reputation_entries`,
      prisma.$executeRaw`TRUNCATE reputation_entries`,
      prisma.$executeRaw`UPDATE post_revisions SET body_text = 'rewritten history' WHERE post_id = ${postId}`,
      prisma.$executeRaw`DELETE FROM post_revisions WHERE post_id = ${postId}`,
      prisma.postRevision.deleteMany({}),
      prisma.$executeRaw`UPDATE article_revisions SET reason = 'rewritten'`,
      prisma.$executeRaw`DELETE FROM article_revisions`,
      prisma.$executeRaw`UPDATE domain_events SET payload = '{}'::jsonb`,
      prisma.$executeRaw`UPDATE domain_events SET actor_id = NULL, type = 'user.signed_in'`,
      prisma.$executeRaw`DELETE FROM domain_events`,
      prisma.$executeRaw`TRUNCATE domain_events CASCADE`,
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(REFUSED);
    expect(await snapshot()).toEqual(before);
  });

  test("appending still works: an edit appends a revision, a bonus a ledger entry", async () => {
    const author = await makeUser();
    const { postId } = await makeQuestion(author.id);
    const edited = await editPost(author.id, postId, { title: "How do I export my invoices as a CSV file?", body: docJson("I looked everywhere in the billing settings and found no export button."), reason: "clearer" });
    expect(edited.ok).toBe(true);
    expect(await prisma.postRevision.count({ where: { postId } })).toBe(2);
    expect(await prisma.reputationEntry.count({ where: { userId: author.id } })).toBe(1);
  });

  test("deleting a member still sets their events' actor to null (the foreign key's SET NULL), and changes nothing else", async () => {
    const member = await makeUser({ newAccount: true });
    const events = () => prisma.domainEvent.findMany({ where: { subjectId: member.id }, orderBy: { id: "asc" }, select: { id: true, type: true, actorId: true, payload: true } });
    const before = await events();
    expect(before.map((e) => e.actorId)).toEqual([member.id]);
    await prisma.user.delete({ where: { id: member.id } });
    expect(await events()).toEqual(before.map((e) => ({ ...e, actorId: null })));
  });

  test("a maintenance transaction may rewrite the tables it names, and only those, until it ends", async () => {
    const author = await makeUser();
    const { postId } = await makeQuestion(author.id);
    const ledgerRows = await prisma.reputationEntry.count();
    expect(ledgerRows).toBeGreaterThan(0);

    await expect(
      prisma.$transaction(async (tx) => {
        await allowAppendOnlyRewrite(tx, ["reputation_entries"]);
        await tx.$executeRaw`DELETE FROM post_revisions WHERE post_id = ${postId}`;
      }),
    ).rejects.toThrow(/post_revisions is append-only/);

    const rebuilt = await prisma.$transaction(async (tx) => {
      await allowAppendOnlyRewrite(tx, ["reputation_entries"]);
      await tx.$executeRaw`UPDATE reputation_entries SET note = 'rebuilt'`;
      return tx.$executeRaw`DELETE FROM reputation_entries WHERE user_id = ${author.id}`;
    });
    expect(rebuilt).toBe(1);
    expect(await prisma.reputationEntry.count()).toBe(ledgerRows - 1);
    // The setting ended with its transaction: every connection of the pool refuses again.
    await Promise.all(Array.from({ length: 4 }, () => expect(prisma.$executeRaw`DELETE FROM reputation_entries`).rejects.toThrow(REFUSED)));
  });
});
