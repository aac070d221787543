import { describe, expect, test } from "vitest";
import { getRevisions } from "~/modules/questions/questions-queries.server.ts";
import { searchUsers } from "~/modules/users/users-queries.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { makeQuestion, makeUser } from "../../../tests/support/factories.ts";

describe("expert marks on every name", () => {
  test("a revision's editor and a member in the admin list carry their expert categories", async () => {
    const asker = await makeUser();
    const { postId, categoryId } = await makeQuestion(asker.id);
    const category = await prisma.category.findUniqueOrThrow({ where: { id: categoryId } });
    await prisma.user.update({ where: { id: asker.id }, data: { expertCategoryIds: [categoryId] } });
    const mark = [{ slug: category.slug, name: category.name }];

    const history = await getRevisions(postId, null);
    expect(history?.revisions[0]!.editor.expertIn).toEqual(mark);
    const { handle } = await prisma.user.findUniqueOrThrow({ where: { id: asker.id } });
    const listed = await searchUsers({ q: handle });
    expect(listed.users.find((u) => u.handle === handle)?.expertIn).toEqual(mark);
  });
});
