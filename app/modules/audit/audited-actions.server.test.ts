import { describe, expect, test } from "vitest";
import { createCategory, moveCategory, setCategoryArchived, updateCategory } from "~/modules/categories/manage-categories.server.ts";
import { assignArticleOwner } from "~/modules/kb/assign-owner.server.ts";
import { archiveArticle, publishArticle } from "~/modules/kb/change-article-status.server.ts";
import { createArticle } from "~/modules/kb/create-article.server.ts";
import { acceptAnswer, unacceptAnswer } from "~/modules/questions/accept-answer.server.ts";
import { editPost } from "~/modules/questions/edit-post.server.ts";
import { deletePost, setPostHidden } from "~/modules/questions/moderate-post.server.ts";
import { awardBonus } from "~/modules/reputation/award-bonus.server.ts";
import { changeRole } from "~/modules/users/change-role.server.ts";
import type { Actor } from "~/modules/users/roles.ts";
import { updateProfile } from "~/modules/users/update-profile.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { runInRequestScope } from "~/utils/request-scope.server.ts";
import { docJson, makeAnswer, makeCategory, makeQuestion, makeUser } from "../../../tests/support/factories.ts";
import type { AuditAction } from "./audit-actions.ts";

/**
 * Every existing privileged action writes its audit row in its own transaction (issue 19, ADR 044,
 * ADR 050), and an action that is refused or fails writes none.
 */
async function rows(action: AuditAction, targetId: string | bigint | number) {
  return prisma.auditEntry.findMany({ where: { action, targetId: String(targetId) }, orderBy: { id: "asc" } });
}

const actorOf = async (user: { id: string }): Promise<Actor> => {
  const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true, role: true, status: true } });
  return row as Actor;
};

describe("moderating posts", () => {
  test("a moderator hiding and showing an answer writes post.hidden then post.shown with the reason, the state and the address", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(helper.id, threadId);
    expect((await runInRequestScope(() => setPostHidden(moderator.id, answer, true, { reason: "垃圾广告 / reclamă" }), "198.51.100.7")).ok).toBe(true);
    const [hidden] = await rows("post.hidden", answer);
    expect(hidden).toMatchObject({ actorId: moderator.id, actorHandle: moderator.handle, targetType: "post", reason: "垃圾广告 / reclamă", ipAddress: "198.51.100.7" });
    expect(hidden!.before).toMatchObject({ hiddenAt: null, authorId: helper.id, kind: "answer", threadId: threadId.toString() });
    expect((hidden!.after as { hiddenAt: string }).hiddenAt).toMatch(/^\d{4}-/);
    // Hiding again changes nothing and writes nothing.
    expect((await setPostHidden(moderator.id, answer, true)).ok).toBe(true);
    expect(await rows("post.hidden", answer)).toHaveLength(1);

    expect((await setPostHidden(moderator.id, answer, false, { reason: "a false alarm" })).ok).toBe(true);
    const [shown] = await rows("post.shown", answer);
    expect(shown).toMatchObject({ actorId: moderator.id, reason: "a false alarm" });
    expect(shown!.after).toMatchObject({ hiddenAt: null });
  });

  test("a member cannot hide a post, and no row is written", async () => {
    const asker = await makeUser();
    const member = await makeUser();
    const { postId } = await makeQuestion(asker.id);
    expect(await setPostHidden(member.id, postId, true)).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await setPostHidden(member.id, postId, true, { reason: "x".repeat(400) })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await prisma.auditEntry.count({ where: { targetId: postId.toString() } })).toBe(0);
  });

  test("a moderator deleting someone's answer writes post.deleted; an author deleting their own writes none", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId } = await makeQuestion(asker.id);
    const spam = await makeAnswer(helper.id, threadId);
    const own = await makeAnswer(helper.id, threadId, "My own answer that I will take back in a moment.");
    expect((await deletePost(moderator.id, spam, { reason: "spam" })).ok).toBe(true);
    const [row] = await rows("post.deleted", spam);
    expect(row).toMatchObject({ actorId: moderator.id, reason: "spam" });
    expect(row!.before).toMatchObject({ deletedAt: null });
    expect((row!.after as { deletedAt: string }).deletedAt).toMatch(/^\d{4}-/);
    // Already deleted: not found, nothing more written.
    expect((await deletePost(moderator.id, spam)).ok).toBe(false);
    expect(await rows("post.deleted", spam)).toHaveLength(1);

    expect((await deletePost(helper.id, own)).ok).toBe(true);
    expect(await rows("post.deleted", own)).toHaveLength(0);
  });

  test("a member deleting someone else's answer is refused and writes nothing", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const answer = await makeAnswer(helper.id, threadId);
    expect(await deletePost(asker.id, answer)).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await prisma.auditEntry.count({ where: { targetId: answer.toString() } })).toBe(0);
  });
});

describe("editing someone else's post", () => {
  test("a moderator's edit writes post.edited_by_other with revision numbers and text lengths, never the text", async () => {
    const asker = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { postId } = await makeQuestion(asker.id, { title: "How do I export my invoices as CSV?" });
    const text = "Billing → Invoices → Export. 导出发票 și facturile.";
    const edited = await editPost(moderator.id, postId, { title: "Exporting invoices as CSV from Billing", body: docJson(text), reason: "clearer title" });
    expect(edited.ok).toBe(true);
    const [row] = await rows("post.edited_by_other", postId);
    expect(row).toMatchObject({ actorId: moderator.id, reason: "clearer title" });
    expect(row!.before).toMatchObject({ revision: 1 });
    expect(row!.after).toEqual({ revision: 2, chars: [...text].length, titleChanged: true });
    expect(JSON.stringify([row!.before, row!.after, row!.reason])).not.toContain("导出发票");
  });

  test("the author editing their own post writes no row; a refused edit writes none", async () => {
    const asker = await makeUser();
    const other = await makeUser();
    const { postId } = await makeQuestion(asker.id);
    expect((await editPost(asker.id, postId, { title: "How do I export my invoices as a CSV file?", body: docJson("Still no export button in the billing settings.") })).ok).toBe(true);
    expect(await editPost(other.id, postId, { title: "Someone else's title for this", body: docJson("Someone else's words here, not allowed.") })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await prisma.auditEntry.count({ where: { targetId: postId.toString() } })).toBe(0);
  });
});

describe("accepting for the asker", () => {
  test("a moderator accepting and withdrawing an answer on someone's thread writes thread.acceptance_changed_by_other; the asker's own choice writes none", async () => {
    const asker = await makeUser();
    const helper = await makeUser();
    const moderator = await makeUser({ role: "moderator" });
    const { threadId } = await makeQuestion(asker.id);
    const first = await makeAnswer(helper.id, threadId);
    const second = await makeAnswer(helper.id, threadId, "Another way: the export lives under Reports now.");
    expect((await acceptAnswer(asker.id, threadId, first)).ok).toBe(true);
    expect(await rows("thread.acceptance_changed_by_other", threadId)).toHaveLength(0);
    expect((await acceptAnswer(moderator.id, threadId, second)).ok).toBe(true);
    expect((await unacceptAnswer(moderator.id, threadId)).ok).toBe(true);
    const written = await rows("thread.acceptance_changed_by_other", threadId);
    expect(written.map((r) => [r.before, r.after])).toEqual([
      [{ acceptedAnswerId: first.toString() }, { acceptedAnswerId: second.toString() }],
      [{ acceptedAnswerId: second.toString() }, { acceptedAnswerId: null }],
    ]);
  });
});

describe("accounts", () => {
  test("an admin's role change writes user.role_changed with before and after; a refused or empty change writes none", async () => {
    const admin = await makeUser({ role: "admin" });
    const moderator = await makeUser({ role: "moderator" });
    const member = await makeUser();
    expect((await changeRole(await actorOf(admin), { userId: member.id, role: "moderator" })).ok).toBe(true);
    const [row] = await rows("user.role_changed", member.id);
    expect(row).toMatchObject({ actorId: admin.id, targetType: "user", before: { role: "member" }, after: { role: "moderator" } });
    expect((await changeRole(await actorOf(admin), { userId: member.id, role: "moderator" })).ok).toBe(true);
    expect(await changeRole(await actorOf(moderator), { userId: admin.id, role: "member" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await changeRole(await actorOf(admin), { userId: member.id, role: "emperor" })).toMatchObject({ ok: false, kind: "invalid" });
    expect(await rows("user.role_changed", member.id)).toHaveLength(1);
    expect(await rows("user.role_changed", admin.id)).toHaveLength(0);
  });

  test("an admin editing someone's profile writes user.profile_edited_by_admin; editing your own writes none", async () => {
    const admin = await makeUser({ role: "admin" });
    const member = await makeUser();
    expect((await updateProfile(await actorOf(admin), member.id, { displayName: "Ana Popescu", bio: "" })).ok).toBe(true);
    expect((await rows("user.profile_edited_by_admin", member.id))[0]).toMatchObject({ actorId: admin.id });
    expect((await updateProfile(await actorOf(member), member.id, { displayName: "Ana P.", bio: "" })).ok).toBe(true);
    expect(await rows("user.profile_edited_by_admin", member.id)).toHaveLength(1);
  });

  test("a bonus writes reputation.bonus_granted with the points and the reason; a refused bonus writes none", async () => {
    const moderator = await makeUser({ role: "moderator" });
    const member = await makeUser();
    expect((await awardBonus(moderator.id, member.id, { points: 25, reason: "Wrote the 导出 guide" })).ok).toBe(true);
    const [row] = await rows("reputation.bonus_granted", member.id);
    expect(row).toMatchObject({ actorId: moderator.id, reason: "Wrote the 导出 guide", after: { points: 25 } });
    expect(await awardBonus(member.id, moderator.id, { points: 25, reason: "returning the favour" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await awardBonus(moderator.id, moderator.id, { points: 25, reason: "for myself" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await rows("reputation.bonus_granted", moderator.id)).toHaveLength(0);
  });
});

describe("site configuration", () => {
  test("creating, renaming, moving and archiving categories each write their row; a taken slug writes none", async () => {
    const admin = await actorOf(await makeUser({ role: "admin" }));
    const existing = await makeCategory("Existing");
    const created = await createCategory(admin, { name: "Facturare 账单", slug: "facturare", description: "" });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const id = created.value.id;
    expect((await rows("category.created", id))[0]).toMatchObject({ actorId: admin.id, after: { name: "Facturare 账单", slug: "facturare" } });

    expect((await updateCategory(admin, id, { name: "Facturare", slug: "facturare", description: "" })).ok).toBe(true);
    expect((await moveCategory(admin, id, { direction: "up" })).ok).toBe(true);
    expect((await setCategoryArchived(admin, id, { archived: "true" })).ok).toBe(true);
    const updates = await rows("category.updated", id);
    expect(updates.map((r) => [r.before, r.after])).toEqual([
      [{ name: "Facturare 账单" }, { name: "Facturare" }],
      [{ position: expect.any(Number) }, { position: expect.any(Number) }],
      [{ archived: false }, { archived: true }],
    ]);

    const taken = await createCategory(admin, { name: "Another", slug: "facturare", description: "" });
    expect(taken).toMatchObject({ ok: false, kind: "conflict" });
    const clash = await updateCategory(admin, id, { name: "Facturare", slug: existing.slug, description: "" });
    expect(clash.ok).toBe(false);
    expect(await rows("category.updated", id)).toHaveLength(3);
    expect(await prisma.auditEntry.count({ where: { action: "category.created" } })).toBe(1);

    const member = await actorOf(await makeUser());
    expect(await createCategory(member, { name: "Mine", slug: "mine", description: "" })).toMatchObject({ ok: false, kind: "forbidden" });
    expect(await prisma.auditEntry.count({ where: { action: "category.created" } })).toBe(1);
  });

  test("publishing, archiving and re-assigning an article write kb rows; a repeat or a member's attempt writes none", async () => {
    const staff = await makeUser({ role: "staff" });
    const moderator = await makeUser({ role: "moderator" });
    const member = await makeUser();
    const category = await makeCategory("Billing");
    const created = await createArticle(staff.id, { title: "Exporting invoices as CSV", categoryId: category.id, tags: "billing", body: docJson("Open Billing, then Invoices, and choose Export as CSV from the menu.") });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const articleId = created.value.articleId;
    expect(await publishArticle(member.id, articleId)).toMatchObject({ ok: false, kind: "forbidden" });
    expect((await publishArticle(staff.id, articleId)).ok).toBe(true);
    expect((await publishArticle(staff.id, articleId)).ok).toBe(true);
    expect((await archiveArticle(staff.id, articleId)).ok).toBe(true);
    expect((await rows("kb.article_published", articleId)).map((r) => [r.actorId, r.before, r.after])).toEqual([[staff.id, { status: "draft" }, { status: "published" }]]);
    expect((await rows("kb.article_unpublished", articleId)).map((r) => [r.before, r.after])).toEqual([[{ status: "published" }, { status: "archived" }]]);

    expect((await assignArticleOwner(staff.id, articleId, { ownerId: moderator.id })).ok).toBe(true);
    expect(await assignArticleOwner(staff.id, articleId, { ownerId: member.id })).toMatchObject({ ok: false, kind: "invalid" });
    expect((await rows("kb.owner_assigned", articleId)).map((r) => [r.before, r.after])).toEqual([[{ ownerId: staff.id }, { ownerId: moderator.id }]]);
  });
});
