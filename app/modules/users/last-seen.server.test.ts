import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { makeUser, signInAs } from "../../../tests/support/factories.ts";
import { getCurrentUser } from "./sessions.server.ts";

const lastSeen = async (id: string) => (await prisma.user.findUniqueOrThrow({ where: { id }, select: { lastSeenAt: true } })).lastSeenAt;

describe("last seen", () => {
  test("signing in sets it; page views never write it; a member's POST moves it at most once per five minutes", async () => {
    const user = await makeUser();
    expect(await lastSeen(user.id)).toBeNull();
    const { cookie } = await signInAs(user.id);
    const atSignIn = await lastSeen(user.id);
    expect(atSignIn).not.toBeNull();

    const old = new Date(Date.now() - 10 * 60_000);
    await prisma.user.update({ where: { id: user.id }, data: { lastSeenAt: old } });
    for (let i = 0; i < 3; i++) await getCurrentUser(new Request("http://localhost/questions", { headers: { Cookie: cookie } }));
    expect(await lastSeen(user.id)).toEqual(old);

    expect(await getCurrentUser(new Request("http://localhost/watches", { method: "POST", headers: { Cookie: cookie } }))).toMatchObject({ id: user.id });
    const moved = await lastSeen(user.id);
    expect(moved!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    await getCurrentUser(new Request("http://localhost/watches", { method: "POST", headers: { Cookie: cookie } }));
    expect(await lastSeen(user.id)).toEqual(moved);
  });

  test("a POST with a signed-out or unknown session writes nothing", async () => {
    const user = await makeUser();
    const { cookie } = await signInAs(user.id);
    await prisma.session.deleteMany({ where: { userId: user.id } });
    await prisma.user.update({ where: { id: user.id }, data: { lastSeenAt: null } });
    expect(await getCurrentUser(new Request("http://localhost/watches", { method: "POST", headers: { Cookie: cookie } }))).toBeNull();
    expect(await lastSeen(user.id)).toBeNull();
  });
});
