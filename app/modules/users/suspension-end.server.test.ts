import { describe, expect, test } from "vitest";
import { loadMember } from "~/modules/questions/members.server.ts";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, GOOD_PASSWORD, makeQuestion, makeUser, randomIp, signInAs } from "../../../tests/support/factories.ts";
import { memberStatus } from "./member-status.server.ts";
import { getCurrentUser } from "./sessions.server.ts";
import { liftEndedSuspensions, setSuspension } from "./set-suspension.server.ts";
import { verifySignIn } from "./sign-in.server.ts";
import { searchUsers } from "./users-queries.server.ts";

const auditOf = (userId: string) => prisma.auditEntry.findMany({ where: { targetType: "user", targetId: userId }, orderBy: { id: "asc" }, select: { action: true, actorId: true, reason: true } });
const listed = async (handle: string) => (await searchUsers({ q: handle })).users.find((u) => u.handle === handle);
const requestWith = (cookie: string) => new Request("http://localhost/account", { headers: { Cookie: cookie } });

/** Moves a suspension's end to `msFromNow` (negative: it has passed): a past end date, as the clock would make it. */
const endIn = (userId: string, msFromNow: number) => prisma.user.update({ where: { id: userId }, data: { suspendedUntil: new Date(Date.now() + msFromNow) } });

/** Issue 19 (ADR 068): the suspension lifts by itself when it ends, for every reader at that moment. */
describe("the end of a suspension", () => {
  test("right after the end, the admin list, the policies, sign-in and posting all agree the member is active, before anyone signs in", async () => {
    const admin = (await signInAs((await makeUser({ role: "admin" })).id)).actor;
    const member = await makeUser({ displayName: "Ioana Popescu 王伟" });
    const { threadId } = await makeQuestion((await makeUser()).id);
    expect((await setSuspension(admin, { userId: member.id, suspend: "true", reason: "cooling off / 冷静一下", days: "1" })).ok).toBe(true);

    // Still running (a minute left): suspended everywhere.
    await endIn(member.id, 60_000);
    expect(await listed(member.handle)).toMatchObject({ status: "suspended", suspendedUntil: expect.any(String) });
    expect((await loadMember(member.id))?.status).toBe("suspended");
    expect(await postAnswer(member.id, threadId, { body: docJson("An answer from a suspended member, refused.") })).toMatchObject({ ok: false, kind: "forbidden" });

    // The end passed a second ago; nobody signed in and no job ran.
    await endIn(member.id, -1000);
    expect(await listed(member.handle)).toMatchObject({ status: "active", suspendedUntil: null, silenced: false });
    expect((await loadMember(member.id))?.status).toBe("active");
    expect((await postAnswer(member.id, threadId, { body: docJson("Back after the suspension ended, with an answer.") })).ok).toBe(true);
    expect(await verifySignIn({ email: member.email, password: GOOD_PASSWORD }, { ip: randomIp() })).toMatchObject({ ok: true });
    const session = await signInAs(member.id);
    expect(await getCurrentUser(requestWith(session.cookie))).toMatchObject({ id: member.id, status: "active" });
  });

  test("the lift-ended-suspensions job writes ended suspensions down as the system, once; running and indefinite ones stay", async () => {
    const moderator = (await signInAs((await makeUser({ role: "moderator" })).id)).actor;
    const [ended, running, indefinite] = [await makeUser(), await makeUser(), await makeUser()];
    for (const [user, days] of [[ended, "3"], [running, "3"], [indefinite, ""]] as const) {
      expect((await setSuspension(moderator, { userId: user.id, suspend: "true", reason: "spam", days })).ok).toBe(true);
    }
    await endIn(ended.id, -1000);

    expect(await liftEndedSuspensions()).toBe(1);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: ended.id }, select: { status: true, suspendedUntil: true, suspensionReason: true } })).toEqual({ status: "active", suspendedUntil: null, suspensionReason: "" });
    expect(await auditOf(ended.id)).toEqual([
      { action: "user.suspended", actorId: moderator.id, reason: "spam" },
      { action: "user.reinstated", actorId: null, reason: "suspension ended" },
    ]);
    expect(await prisma.domainEvent.count({ where: { type: "user.reinstated", subjectId: ended.id, actorId: null } })).toBe(1);
    for (const user of [running, indefinite]) {
      expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe("suspended");
      expect((await listed(user.handle))?.status).toBe("suspended");
    }

    // Again: nothing left to do, nothing written twice; a sign-in afterwards writes nothing either.
    expect(await liftEndedSuspensions()).toBe(0);
    expect(await verifySignIn({ email: ended.email, password: GOOD_PASSWORD }, { ip: randomIp() })).toMatchObject({ ok: true });
    expect((await auditOf(ended.id)).length).toBe(2);
    // A refused sign-in before the end is untouched by the job.
    expect(await verifySignIn({ email: running.email, password: GOOD_PASSWORD }, { ip: randomIp() })).toMatchObject({ ok: false, kind: "forbidden" });
  });

  test("the status rule reads the same in SQL and in TypeScript, for every combination of suspension and silence", async () => {
    const now = Date.now();
    const cases = [
      { status: "active", suspendedUntil: null, silencedAt: null, silencedUntil: null },
      { status: "suspended", suspendedUntil: null, silencedAt: null, silencedUntil: null },
      { status: "suspended", suspendedUntil: new Date(now + 3_600_000), silencedAt: null, silencedUntil: null },
      { status: "suspended", suspendedUntil: new Date(now - 3_600_000), silencedAt: null, silencedUntil: null },
      { status: "suspended", suspendedUntil: new Date(now - 3_600_000), silencedAt: new Date(now - 7_200_000), silencedUntil: new Date(now + 3_600_000) },
      { status: "active", suspendedUntil: null, silencedAt: new Date(now - 7_200_000), silencedUntil: null },
      { status: "active", suspendedUntil: null, silencedAt: new Date(now - 7_200_000), silencedUntil: new Date(now - 3_600_000) },
    ] as const;
    const seen: string[] = [];
    for (const c of cases) {
      const user = await makeUser();
      await prisma.user.update({ where: { id: user.id }, data: { ...c } });
      const fromSql = (await loadMember(user.id))?.status;
      expect(fromSql).toBe(memberStatus(c));
      seen.push(fromSql!);
    }
    expect(seen).toEqual(["active", "suspended", "suspended", "active", "silenced", "silenced", "active"]);
  });
});
