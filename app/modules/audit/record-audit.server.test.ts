import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { runInRequestScope } from "~/utils/request-scope.server.ts";
import { makeUser } from "../../../tests/support/factories.ts";
import { recordAudit } from "./record-audit.server.ts";

/** The audit trail (issue 19, ADR 044): written with the action, gone with it, and never rewritten. */
describe("recordAudit", () => {
  test("writes who, what, target, reason, before and after, and the request's client address", async () => {
    const moderator = await makeUser({ role: "moderator" });
    const id = await runInRequestScope(
      () => prisma.$transaction((tx) => recordAudit(tx, { actor: { id: moderator.id }, action: "thread.closed", targetType: "thread", targetId: 42n, reason: "重复 / duplicat", before: { closedAt: null }, after: { closedAt: "2026-12-06T00:00:00.000Z", id: 42n } })),
      "203.0.113.9",
    );
    const row = await prisma.auditEntry.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ actorId: moderator.id, actorHandle: moderator.handle, action: "thread.closed", targetType: "thread", targetId: "42", reason: "重复 / duplicat", ipAddress: "203.0.113.9" });
    expect(row.before).toEqual({ closedAt: null });
    expect(row.after).toEqual({ closedAt: "2026-12-06T00:00:00.000Z", id: "42" });
  });

  test("outside a request the address is null, and the system can act without an actor", async () => {
    const member = await makeUser();
    const id = await prisma.$transaction((tx) => recordAudit(tx, { actor: null, action: "user.reinstated", targetType: "user", targetId: member.id, reason: "suspension ended" }));
    expect(await prisma.auditEntry.findUniqueOrThrow({ where: { id } })).toMatchObject({ actorId: null, actorHandle: null, ipAddress: null });
  });

  test("an action that fails after writing its row leaves no row", async () => {
    const moderator = await makeUser({ role: "moderator" });
    await expect(
      prisma.$transaction(async (tx) => {
        await recordAudit(tx, { actor: { id: moderator.id }, action: "post.hidden", targetType: "post", targetId: 7n });
        throw new Error("the action failed");
      }),
    ).rejects.toThrow("the action failed");
    expect(await prisma.auditEntry.count({ where: { actorId: moderator.id } })).toBe(0);
  });

  test("a target of the wrong kind is a programming error", async () => {
    const moderator = await makeUser({ role: "moderator" });
    // @ts-expect-error -- the catalogue says thread.closed targets a thread
    await expect(prisma.$transaction((tx) => recordAudit(tx, { actor: { id: moderator.id }, action: "thread.closed", targetType: "post", targetId: 1 }))).rejects.toThrow(/target must be a thread/);
  });

  test("the table refuses UPDATE, DELETE and TRUNCATE and keeps every row", async () => {
    const moderator = await makeUser({ role: "moderator" });
    await prisma.$transaction((tx) => recordAudit(tx, { actor: { id: moderator.id }, action: "post.deleted", targetType: "post", targetId: 9n, reason: "spam" }));
    const before = await prisma.auditEntry.findMany({ orderBy: { id: "asc" } });
    for (const attempt of [
      () => prisma.$executeRaw`UPDATE audit_log SET reason = 'nothing happened'`,
      () => prisma.$executeRaw`DELETE FROM audit_log`,
      () => prisma.$executeRaw`TRUNCATE audit_log`,
      () => prisma.auditEntry.deleteMany({}),
      () => prisma.auditEntry.updateMany({ data: { actorId: null } }),
    ]) {
      await expect(attempt()).rejects.toThrow(/audit_log is append-only/);
    }
    expect(await prisma.auditEntry.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});
