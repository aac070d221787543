import { describe, expect, test } from "vitest";
import { acceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { getThreadPage } from "~/modules/questions/questions-queries.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import { publishArticle } from "./change-article-status.server.ts";
import { getArticlePage } from "./kb-queries.server.ts";
import { promoteThreads } from "./promote-threads.server.ts";

async function resolvedThread(title: string, answerText: string, categoryId?: number, tags = ["billing", "export"]) {
  const asker = await makeUser();
  const helper = await makeUser({ displayName: `Helper for ${title.slice(0, 10)}` });
  const { threadId, categoryId: cat } = await makeQuestion(asker.id, { title, categoryId, tags, body: `Context for: ${title}. I tried the billing page.` });
  const answerId = await makeAnswer(helper.id, threadId, answerText);
  const accepted = await acceptAnswer(asker.id, threadId, answerId);
  if (!accepted.ok) throw new Error("accept failed");
  return { threadId, categoryId: cat, helper };
}

async function categorySlugOf(articleId: bigint) {
  const a = await prisma.article.findUniqueOrThrow({ where: { id: articleId }, select: { categoryId: true, slug: true } });
  return { category: (await prisma.category.findUniqueOrThrow({ where: { id: a.categoryId } })).slug, slug: a.slug };
}

describe("promoting threads to articles", () => {
  test("a moderator promotes one resolved thread: a pre-filled draft with credit, linked both ways", async () => {
    const moderator = await makeUser({ role: "moderator" });
    const { threadId, helper } = await resolvedThread("How do I export my invoices as CSV?", "Open Billing, then Invoices, then Export.");
    const result = await promoteThreads(moderator.id, { threadIds: threadId.toString() });
    expect(result).toMatchObject({ ok: true, value: { sources: 1 } });
    if (!result.ok) return;
    const article = await prisma.article.findUniqueOrThrow({ where: { id: result.value.articleId } });
    expect(article).toMatchObject({ status: "draft", title: "How do I export my invoices as CSV?", ownerId: moderator.id, revisionCount: 1 });
    expect(article.bodyText).toContain("Context");
    expect(article.bodyText).toContain("I tried the billing page.");
    expect(article.bodyText).toContain("Solution");
    expect(article.bodyText).toContain("Open Billing, then Invoices, then Export.");
    expect(article.bodyText).toContain(`Answer by ${helper.displayName}.`);
    expect(await prisma.articleSource.findMany({ select: { threadId: true, creditedUserId: true } })).toEqual([{ threadId, creditedUserId: helper.id }]);
    expect(await prisma.domainEvent.findMany({ where: { type: "thread.promoted" }, select: { subjectId: true, payload: true } })).toEqual([
      { subjectId: threadId.toString(), payload: { articleId: article.id.toString(), resolved: true, creditedUserId: helper.id, clusterSize: 1 } },
    ]);

    // Thread → article: the thread page's read carries the link (the banner).
    const page = await getThreadPage(threadId, null);
    const where = await categorySlugOf(article.id);
    expect(page?.thread.kbArticle).toEqual({ id: article.id.toString(), title: article.title, status: "draft", path: `/kb/${where.category}/${where.slug}` });
    // Article → thread: the article lists its source with the credited author.
    await publishArticle(moderator.id, article.id);
    const read = await getArticlePage(where.category, where.slug, null);
    expect(read?.sources).toEqual([{ id: threadId.toString(), title: "How do I export my invoices as CSV?", path: expect.stringMatching(`^/questions/${threadId}/`), resolved: true, credited: { handle: helper.handle, displayName: helper.displayName, expertIn: [] } }]);
  });

  test("a cluster of similar threads pre-fills from all of them and links all of them", async () => {
    const staff = await makeUser({ role: "staff" });
    const category = await makeCategory("Billing");
    const a = await resolvedThread("How do I export my invoices as CSV?", "Use Billing, then Invoices, then Export.", category.id, ["billing", "csv"]);
    const b = await resolvedThread("Invoice export to CSV is missing a button", "The Export button is under the three dots menu.", category.id, ["csv", "export"]);
    const asker = await makeUser();
    const { threadId: c } = await makeQuestion(asker.id, { title: "Exportul facturilor in CSV nu merge", categoryId: category.id, tags: ["csv"] });

    // One thread is not resolved: the use case asks for a confirmation first and writes nothing.
    const ids = [a.threadId, b.threadId, c].map(String);
    const articlesBefore = await prisma.article.count();
    const unconfirmed = await promoteThreads(staff.id, { threadIds: ids });
    expect(unconfirmed).toMatchObject({ ok: false, kind: "needs-confirmation", unresolved: [{ id: c.toString(), title: "Exportul facturilor in CSV nu merge" }] });
    expect(await prisma.article.count()).toBe(articlesBefore);

    const result = await promoteThreads(staff.id, { threadIds: ids, confirmUnresolved: "yes" });
    expect(result).toMatchObject({ ok: true, value: { sources: 3 } });
    if (!result.ok) return;
    const article = await prisma.article.findUniqueOrThrow({ where: { id: result.value.articleId } });
    for (const text of ["Use Billing, then Invoices, then Export.", "The Export button is under the three dots menu.", "Exportul facturilor in CSV nu merge", "Invoice export to CSV is missing a button"]) {
      expect(article.bodyText).toContain(text);
    }
    expect(article.bodyText).toContain(`Answer by ${a.helper.displayName}.`);
    expect(article.bodyText).toContain(`Answer by ${b.helper.displayName}.`);
    const sources = await prisma.articleSource.findMany({ where: { articleId: article.id }, orderBy: { threadId: "asc" }, select: { threadId: true, creditedUserId: true } });
    expect(sources).toEqual([
      { threadId: a.threadId, creditedUserId: a.helper.id },
      { threadId: b.threadId, creditedUserId: b.helper.id },
      { threadId: c, creditedUserId: null },
    ]);
    const tags = await prisma.articleTag.count({ where: { articleId: article.id } });
    expect(tags).toBe(3);
    for (const id of [a.threadId, b.threadId, c]) expect((await getThreadPage(id, null))?.thread.kbArticle?.id).toBe(article.id.toString());
    expect(await prisma.domainEvent.count({ where: { type: "thread.promoted", payload: { path: ["articleId"], equals: article.id.toString() } } })).toBe(3);
  });

  test("a thread that already has an article proposes that article instead, also in a race", async () => {
    const staff = await makeUser({ role: "staff" });
    const articlesBefore = await prisma.article.count();
    const { threadId } = await resolvedThread("How do I export my invoices as CSV?", "Open Billing, then Invoices, then Export.");
    const first = await promoteThreads(staff.id, { threadIds: [threadId.toString()] });
    expect(first.ok).toBe(true);
    const again = await promoteThreads(staff.id, { threadIds: [threadId.toString()] });
    expect(again).toMatchObject({ ok: false, kind: "already-promoted", articles: [{ threadId: threadId.toString(), articleId: first.ok ? first.value.articleId.toString() : "", status: "draft" }] });

    const { threadId: other } = await resolvedThread("Why does the export time out for big accounts?", "Filter by year, then export each year separately.");
    const race = await Promise.all(Array.from({ length: 4 }, () => promoteThreads(staff.id, { threadIds: [other.toString()] })));
    expect(race.filter((r) => r.ok)).toHaveLength(1);
    expect(race.filter((r) => !r.ok && r.kind === "already-promoted")).toHaveLength(3);
    expect(await prisma.articleSource.count({ where: { threadId: other } })).toBe(1);
    expect(await prisma.article.count()).toBe(articlesBefore + 2);
  });

  test("a member gets forbidden, even through a direct call, and nothing is written", async () => {
    const member = await makeUser();
    const { threadId } = await resolvedThread("How do I export my invoices as CSV?", "Open Billing, then Invoices, then Export.");
    const articlesBefore = await prisma.article.count();
    expect(await promoteThreads(member.id, { threadIds: [threadId.toString()] })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await prisma.article.count()).toBe(articlesBefore);
    expect(await prisma.articleSource.count({ where: { threadId } })).toBe(0);
  });

  test("unknown threads and bad ids are refused", async () => {
    const staff = await makeUser({ role: "staff" });
    expect(await promoteThreads(staff.id, { threadIds: ["987654321"] })).toMatchObject({ ok: false, kind: "not-found" });
    expect(await promoteThreads(staff.id, { threadIds: ["abc"] })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await promoteThreads(staff.id, { threadIds: [] })).toMatchObject({ ok: false, kind: "invalid" });
  });
});
