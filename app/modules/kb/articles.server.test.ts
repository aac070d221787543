import { describe, expect, test } from "vitest";
import { getThreadPage } from "~/modules/questions/questions-queries.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, makeCategory, makeUser } from "../../../tests/support/factories.ts";
import { assignArticleOwner } from "./assign-owner.server.ts";
import { archiveArticle, publishArticle } from "./change-article-status.server.ts";
import { createArticle } from "./create-article.server.ts";
import { editArticle } from "./edit-article.server.ts";
import { giveFeedback } from "./give-feedback.server.ts";
import { getArticlePage, getArticleRevisions, listArticlesToReview } from "./kb-queries.server.ts";
import { canReadArticle } from "./kb.policy.ts";
import { recordArticleView } from "./record-article-view.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

const BODY = "Open Billing, then Invoices, and choose Export as CSV from the menu at the top right.";

async function newArticle(authorId: string, overrides: Record<string, unknown> = {}) {
  const category = await makeCategory("Billing");
  const result = await createArticle(authorId, { title: "Exporting invoices as CSV", categoryId: category.id, tags: "billing, export", body: docJson(BODY), ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result));
  return { articleId: result.value.articleId, category };
}

describe("writing articles", () => {
  test("staff write a draft with revision 1, an owner and a default review-by date; only managers can read the draft", async () => {
    const staff = await makeUser({ role: "staff" });
    const { articleId, category } = await newArticle(staff.id);
    const row = await prisma.article.findUniqueOrThrow({ where: { id: articleId } });
    expect(row).toMatchObject({ status: "draft", ownerId: staff.id, authorId: staff.id, revisionCount: 1, slug: "exporting-invoices-as-csv", categoryId: category.id });
    expect(row.bodyHtml).toContain("Export as CSV");
    const days = (row.reviewBy!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(178);
    expect(days).toBeLessThan(181);
    expect(await prisma.articleRevision.count({ where: { articleId } })).toBe(1);
    expect(await prisma.domainEvent.count({ where: { type: "article.created", subjectId: articleId.toString() } })).toBe(1);

    const member = await makeUser();
    expect(canReadArticle({ id: member.id, role: "member", status: "active" }, row)).toBe(false);
    expect(canReadArticle(null, row)).toBe(false);
    expect(canReadArticle({ id: staff.id, role: "staff", status: "active" }, row)).toBe(true);
  });

  test("a member cannot create, edit, publish, archive or assign, even by calling the use case directly", async () => {
    const staff = await makeUser({ role: "staff" });
    const member = await makeUser();
    const { articleId, category } = await newArticle(staff.id);
    const input = { title: "Exporting invoices as CSV files", categoryId: category.id, tags: "billing", body: docJson(BODY) };
    expect(await createArticle(member.id, input)).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await editArticle(member.id, articleId, input)).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await publishArticle(member.id, articleId)).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await archiveArticle(member.id, articleId)).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await assignArticleOwner(member.id, articleId, { ownerId: member.id })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await prisma.article.findUniqueOrThrow({ where: { id: articleId } })).toMatchObject({ status: "draft", revisionCount: 1, ownerId: staff.id });
  });

  test("bad input is refused field by field and nothing is written", async () => {
    const moderator = await makeUser({ role: "moderator" });
    const category = await makeCategory();
    const before = await prisma.article.count();
    const result = await createArticle(moderator.id, { title: "Short", categoryId: category.id, tags: "", body: docJson("too short"), reviewBy: "31/05/2027" });
    expect(result).toMatchObject({ ok: false, kind: "invalid" });
    if (!result.ok && result.kind === "invalid") expect(Object.keys(result.fieldErrors).sort()).toEqual(["reviewBy", "tags", "title"]);
    expect(inEnglish(await createArticle(moderator.id, { title: "A good enough title here", categoryId: category.id, tags: "x1", body: docJson("too short") }))).toMatchObject({ kind: "invalid", fieldErrors: { body: ["Write at least 30 characters (10 in Chinese)"] } });
    expect(await prisma.article.count()).toBe(before);
  });

  test("publishing makes the article public; archiving takes it away; publishing twice records one event", async () => {
    const staff = await makeUser({ role: "staff" });
    const { articleId } = await newArticle(staff.id);
    expect(await publishArticle(staff.id, articleId)).toEqual({ ok: true, value: { status: "published", changed: true } });
    expect(await publishArticle(staff.id, articleId)).toEqual({ ok: true, value: { status: "published", changed: false } });
    const published = await prisma.article.findUniqueOrThrow({ where: { id: articleId } });
    expect(published.status).toBe("published");
    expect(published.publishedAt).not.toBeNull();
    expect(canReadArticle(null, published)).toBe(true);
    expect(await archiveArticle(staff.id, articleId)).toEqual({ ok: true, value: { status: "archived", changed: true } });
    const archived = await prisma.article.findUniqueOrThrow({ where: { id: articleId } });
    expect(canReadArticle(null, archived)).toBe(false);
    expect(archived.publishedAt).toEqual(published.publishedAt);
    expect(await prisma.domainEvent.count({ where: { type: "article.published", subjectId: articleId.toString() } })).toBe(1);
    expect(await prisma.domainEvent.count({ where: { type: "article.archived", subjectId: articleId.toString() } })).toBe(1);
    expect(await publishArticle(staff.id, 987_654_321n)).toMatchObject({ kind: "not-found" });
  });

  test("every edit appends a revision with its editor and reason; the history reads oldest first", async () => {
    const staff = await makeUser({ role: "staff" });
    const moderator = await makeUser({ role: "moderator" });
    const { articleId, category } = await newArticle(staff.id);
    const edit = (who: string, text: string, reason: string) =>
      editArticle(who, articleId, { title: "Exporting invoices as CSV", categoryId: category.id, tags: "billing, export, csv", body: docJson(text), reason });
    expect(await edit(moderator.id, `${BODY} Large exports arrive by e-mail.`, "mention e-mail")).toEqual({ ok: true, value: { articleId, revision: 2 } });
    // Two edits at once get consecutive numbers (the row lock), never the same one.
    const both = await Promise.all([edit(staff.id, `${BODY} Version A of the text.`, "a"), edit(staff.id, `${BODY} Version B of the text.`, "b")]);
    expect(both.map((r) => (r.ok ? r.value.revision : 0)).sort()).toEqual([3, 4]);
    const history = await getArticleRevisions(articleId);
    expect(history!.revisions.map((r) => r.revision)).toEqual([1, 2, 3, 4]);
    expect(history!.revisions[1]).toMatchObject({ reason: "mention e-mail", editor: { handle: moderator.handle } });
    expect(history!.revisions[1]!.bodyText).toContain("Large exports arrive by e-mail.");
    const row = await prisma.article.findUniqueOrThrow({ where: { id: articleId }, select: { revisionCount: true } });
    expect(row.revisionCount).toBe(4);
    expect(await prisma.articleTag.count({ where: { articleId } })).toBe(3);
  });

  test("the owner is a staff member or moderator; a member cannot be made owner", async () => {
    const staff = await makeUser({ role: "staff" });
    const moderator = await makeUser({ role: "moderator" });
    const member = await makeUser();
    const { articleId } = await newArticle(staff.id);
    expect(await assignArticleOwner(staff.id, articleId, { ownerId: member.id })).toMatchObject({ kind: "invalid", fieldErrors: { ownerId: [expect.any(String)] } });
    expect(await assignArticleOwner(staff.id, articleId, { ownerId: moderator.id })).toEqual({ ok: true, value: { ownerId: moderator.id, changed: true } });
    expect(await assignArticleOwner(staff.id, articleId, { ownerId: moderator.id })).toEqual({ ok: true, value: { ownerId: moderator.id, changed: false } });
    expect((await prisma.article.findUniqueOrThrow({ where: { id: articleId } })).ownerId).toBe(moderator.id);
    const events = await prisma.domainEvent.findMany({ where: { type: "article.owner_assigned" }, select: { payload: true } });
    expect(events).toEqual([{ payload: { from: staff.id, to: moderator.id } }]);
  });

  test("the review list shows articles past their review-by date and those readers find unhelpful, per owner", async () => {
    const staff = await makeUser({ role: "staff" });
    const other = await makeUser({ role: "moderator" });
    const overdue = await newArticle(staff.id, { title: "Old article about invoice exports", reviewBy: "2020-01-31" });
    const fresh = await newArticle(staff.id, { title: "Fresh article about invoice exports", reviewBy: "2099-01-31" });
    const unhelpful = await newArticle(other.id, { title: "Unhelpful article about invoice exports", reviewBy: "2099-01-31" });
    for (const a of [overdue, fresh, unhelpful]) await publishArticle(staff.id, a.articleId);
    for (let i = 0; i < 3; i += 1) await giveFeedback(unhelpful.articleId, { userId: null, anonId: `visitor-number-${i}-abcdef` }, { helpful: i === 0 ? "yes" : "no" });
    const all = await listArticlesToReview(null);
    expect(all.map((a) => a.title)).toEqual(["Old article about invoice exports", "Unhelpful article about invoice exports"]);
    expect(all[0]).toMatchObject({ overdue: true, lowHelpfulness: false, reviewBy: "2020-01-31" });
    expect(all[1]).toMatchObject({ overdue: false, lowHelpfulness: true, helpfulYes: 1, helpfulNo: 2 });
    expect((await listArticlesToReview(staff.id)).map((a) => a.title)).toEqual(["Old article about invoice exports"]);
    expect((await listArticlesToReview(other.id)).map((a) => a.title)).toEqual(["Unhelpful article about invoice exports"]);
  });
});

describe("readers' feedback and views", () => {
  test("one answer per visitor per article, changeable; a flood from one visitor counts once", async () => {
    const staff = await makeUser({ role: "staff" });
    const member = await makeUser();
    const { articleId } = await newArticle(staff.id);
    const anonymous = { userId: null, anonId: "anon-visitor-0123456789" };
    expect(await giveFeedback(articleId, anonymous, { helpful: "yes" })).toMatchObject({ ok: false, kind: "not-found" }); // still a draft
    await publishArticle(staff.id, articleId);

    const flood = await Promise.all(Array.from({ length: 12 }, () => giveFeedback(articleId, anonymous, { helpful: "yes" })));
    expect(flood.every((r) => r.ok)).toBe(true);
    expect(flood.filter((r) => r.ok && r.value.changed)).toHaveLength(1);
    expect(await prisma.article.findUniqueOrThrow({ where: { id: articleId }, select: { helpfulYes: true, helpfulNo: true } })).toEqual({ helpfulYes: 1, helpfulNo: 0 });

    // The same visitor changes their mind, with a comment on "no".
    expect(await giveFeedback(articleId, anonymous, { helpful: "no", comment: "The Export menu is not there for me" })).toMatchObject({ ok: true, value: { helpfulYes: 0, helpfulNo: 1, changed: true } });
    expect(await giveFeedback(articleId, { userId: member.id, anonId: anonymous.anonId }, { helpful: "yes", comment: "ignored on yes" })).toMatchObject({ ok: true, value: { helpfulYes: 1, helpfulNo: 1 } });
    const rows = await prisma.articleFeedback.findMany({ where: { articleId }, orderBy: { visitorKey: "asc" }, select: { visitorKey: true, helpful: true, comment: true } });
    expect(rows).toEqual([
      { visitorKey: `a:${anonymous.anonId}`, helpful: false, comment: "The Export menu is not there for me" },
      { visitorKey: `u:${member.id}`, helpful: true, comment: "" },
    ]);
    const page = await getArticlePage((await prisma.category.findUniqueOrThrow({ where: { id: (await prisma.article.findUniqueOrThrow({ where: { id: articleId } })).categoryId } })).slug, "exporting-invoices-as-csv", `a:${anonymous.anonId}`);
    expect(page?.myFeedback).toEqual({ helpful: false, comment: "The Export menu is not there for me" });
    expect(await giveFeedback(articleId, anonymous, { helpful: "maybe" })).toMatchObject({ kind: "invalid" });
    expect(await giveFeedback(articleId, anonymous, { helpful: "no", comment: "x".repeat(501) })).toMatchObject({ kind: "invalid" });
    expect(await giveFeedback(articleId, { userId: null, anonId: null }, { helpful: "yes" })).toMatchObject({ kind: "invalid" });
  });

  test("views count once per visitor per article per day, for members and anonymous visitors alike", async () => {
    const staff = await makeUser({ role: "staff" });
    const reader = await makeUser();
    const { articleId } = await newArticle(staff.id);
    expect(await recordArticleView(articleId, { userId: null, anonId: "anon-visitor-0123456789" })).toMatchObject({ kind: "not-found" });
    await publishArticle(staff.id, articleId);
    const views = await Promise.all([
      ...Array.from({ length: 5 }, () => recordArticleView(articleId, { userId: null, anonId: "anon-visitor-0123456789" })),
      ...Array.from({ length: 5 }, () => recordArticleView(articleId, { userId: reader.id, anonId: "anon-visitor-0123456789" })),
    ]);
    expect(views.filter((v) => v.ok && v.value.counted)).toHaveLength(2);
    expect((await prisma.article.findUniqueOrThrow({ where: { id: articleId } })).viewCount).toBe(2);
    expect(await prisma.articleView.count({ where: { articleId } })).toBe(2);
    expect(await prisma.domainEvent.count({ where: { type: "article.viewed" } })).toBe(2);
    expect(await recordArticleView(articleId, { userId: null, anonId: null })).toEqual({ ok: true, value: { counted: false, viewId: null } });
  });
});

test("a thread page read carries no article link until the thread is promoted", async () => {
  const asker = await makeUser();
  const category = await makeCategory();
  const { askQuestion } = await import("~/modules/questions/ask-question.server.ts");
  const asked = await askQuestion(asker.id, { title: "Where do I find the invoice export?", categoryId: category.id, tags: "billing", body: docJson("I cannot find the export of invoices anywhere in billing.") });
  if (!asked.ok) throw new Error("ask failed");
  const page = await getThreadPage(asked.value.threadId, null);
  expect(page?.thread.kbArticle).toBeNull();
});
