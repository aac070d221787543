import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { makeUser, signInAs } from "../../../tests/support/factories.ts";
import { createCategory, moveCategory, setCategoryArchived, updateCategory } from "./manage-categories.server.ts";

describe("categories", () => {
  test("an admin creates, renames, reorders and archives categories", async () => {
    const admin = (await signInAs((await makeUser({ role: "admin" })).id)).actor;
    const a = await createCategory(admin, { name: "Billing", slug: "billing", description: "Invoices and payments" });
    const b = await createCategory(admin, { name: "Integrations", slug: "integrations" });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(await updateCategory(admin, a.value.id, { name: "Billing & invoices", slug: "billing" })).toEqual({ ok: true, value: { id: a.value.id } });
    expect((await moveCategory(admin, b.value.id, { direction: "up" })).ok).toBe(true);
    const order = await prisma.category.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }], select: { slug: true } });
    expect(order.map((c) => c.slug)).toEqual(["integrations", "billing"]);
    expect(await setCategoryArchived(admin, a.value.id, { archived: "true" })).toEqual({ ok: true, value: { id: a.value.id, archived: true } });
    expect((await prisma.category.findUniqueOrThrow({ where: { id: a.value.id } })).archivedAt).not.toBeNull();
  });

  test("a taken slug is a field error, not a crash", async () => {
    const admin = (await signInAs((await makeUser({ role: "admin" })).id)).actor;
    await createCategory(admin, { name: "Security", slug: "security" });
    expect(await createCategory(admin, { name: "Security again", slug: "security" })).toMatchObject({ ok: false, kind: "conflict", fieldErrors: { slug: [expect.any(String)] } });
  });

  test("only admins manage categories", async () => {
    for (const role of ["member", "moderator", "staff"] as const) {
      const actor = (await signInAs((await makeUser({ role })).id)).actor;
      expect(await createCategory(actor, { name: "Nope", slug: `nope-${role}` }), role).toMatchObject({ kind: "forbidden" });
    }
    expect(await prisma.category.count({ where: { slug: { startsWith: "nope-" } } })).toBe(0);
  });
});
