import { describe, expect, test } from "vitest";
import { postAnswer } from "~/modules/questions/post-answer.server.ts";
import { prisma } from "~/utils/db.server.ts";
import { docJson, GOOD_PASSWORD, makeQuestion, makeUser, randomIp, signInAs } from "../../../tests/support/factories.ts";
import { getCurrentUser } from "./sessions.server.ts";
import { setSuspension } from "./set-suspension.server.ts";
import { verifySignIn } from "./sign-in.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

const requestWith = (cookie: string) => new Request("http://localhost/account", { headers: { Cookie: cookie } });
const auditOf = (userId: string) => prisma.auditEntry.findMany({ where: { targetType: "user", targetId: userId }, orderBy: { id: "asc" } });

/** Suspensions and silences (issue 19): a reason, an end date or indefinitely, and an end that comes by itself. */
describe("suspensions", () => {
  test("a 7-day suspension ends every session, refuses a replayed session and sign-in with its reason and end, and writes its audit row", async () => {
    const moderator = (await signInAs((await makeUser({ role: "moderator" })).id)).actor;
    const member = await makeUser();
    const replay = await signInAs(member.id);
    const result = await setSuspension(moderator, { userId: member.id, suspend: "true", reason: "Spam links / 垃圾链接", days: "7" });
    expect(result.ok).toBe(true);
    const until = new Date((result as { value: { until: string } }).value.until);
    expect(Math.abs(until.getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
    expect(await prisma.session.count({ where: { userId: member.id } })).toBe(0);
    expect(await getCurrentUser(requestWith(replay.cookie))).toBeNull();

    const refused = await verifySignIn({ email: member.email, password: GOOD_PASSWORD }, { ip: randomIp() });
    expect(refused).toMatchObject({ ok: false, kind: "forbidden" });
    const message = inEnglish((refused as { message: string }).message);
    expect(message).toContain("Spam links / 垃圾链接");
    expect(message).toContain(`until ${until.toISOString().slice(0, 16).replace("T", " ")} UTC`);

    const [row] = await auditOf(member.id);
    expect(row).toMatchObject({ actorId: moderator.id, action: "user.suspended", reason: "Spam links / 垃圾链接" });
    expect(row!.after).toMatchObject({ status: "suspended", suspendedUntil: until.toISOString() });
  });

  test("the suspension lifts by itself at the first sign-in after its end, not before; a session from before it never comes back", async () => {
    const moderator = (await signInAs((await makeUser({ role: "moderator" })).id)).actor;
    const member = await makeUser();
    const replay = await signInAs(member.id);
    expect((await setSuspension(moderator, { userId: member.id, suspend: "true", reason: "cooling off", days: "1" })).ok).toBe(true);

    // One minute before the end: still refused, and nothing was lifted.
    await prisma.user.update({ where: { id: member.id }, data: { suspendedUntil: new Date(Date.now() + 60_000) } });
    expect(await verifySignIn({ email: member.email, password: GOOD_PASSWORD }, { ip: randomIp() })).toMatchObject({ kind: "forbidden" });
    expect(await getCurrentUser(requestWith(replay.cookie))).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: member.id } })).status).toBe("suspended");

    // The end has passed: the sign-in is accepted and lifts it, as the system (audit actor null).
    await prisma.user.update({ where: { id: member.id }, data: { suspendedUntil: new Date(Date.now() - 1000) } });
    expect(await verifySignIn({ email: member.email, password: GOOD_PASSWORD }, { ip: randomIp() })).toMatchObject({ ok: true });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ status: "active", suspendedUntil: null, suspensionReason: "" });
    const fresh = await signInAs(member.id);
    expect(await getCurrentUser(requestWith(fresh.cookie))).toMatchObject({ id: member.id, status: "active" });
    expect(await getCurrentUser(requestWith(replay.cookie))).toBeNull();
    expect((await auditOf(member.id)).map((r) => [r.action, r.actorId, r.reason])).toEqual([
      ["user.suspended", moderator.id, "cooling off"],
      ["user.reinstated", null, "suspension ended"],
    ]);
  });

  test("an indefinite suspension says so at sign-in and never lifts by itself", async () => {
    const admin = (await signInAs((await makeUser({ role: "admin" })).id)).actor;
    const member = await makeUser();
    expect(await setSuspension(admin, { userId: member.id, suspend: "true", reason: "fraud", days: "" })).toMatchObject({ ok: true, value: { until: null } });
    const refused = await verifySignIn({ email: member.email, password: GOOD_PASSWORD }, { ip: randomIp() });
    expect(inEnglish((refused as { message: string }).message)).toMatch(/suspended indefinitely\. Reason: “fraud”/);
  });

  test("a silence keeps the member signed in but read-only until it ends", async () => {
    const moderator = (await signInAs((await makeUser({ role: "moderator" })).id)).actor;
    const asker = await makeUser();
    const member = await makeUser();
    const { threadId } = await makeQuestion(asker.id);
    const session = await signInAs(member.id);
    expect(await setSuspension(moderator, { userId: member.id, suspend: "true", mode: "silence", reason: "heated replies", days: "2" })).toMatchObject({ ok: true, value: { mode: "silence" } });
    expect(await getCurrentUser(requestWith(session.cookie))).toMatchObject({ id: member.id, status: "silenced" });
    expect(await postAnswer(member.id, threadId, { body: docJson("Still trying to answer while silenced.") })).toMatchObject({ ok: false, kind: "forbidden" });
    expect((await auditOf(member.id)).map((r) => r.action)).toEqual(["user.silenced"]);

    await prisma.user.update({ where: { id: member.id }, data: { silencedUntil: new Date(Date.now() - 1000) } });
    expect(await getCurrentUser(requestWith(session.cookie))).toMatchObject({ status: "active" });
    expect((await postAnswer(member.id, threadId, { body: docJson("Answering again now the silence is over.") })).ok).toBe(true);
  });

  test("no audit row when the suspension is refused: no reason, a moderator on staff, a member on anyone", async () => {
    const moderator = (await signInAs((await makeUser({ role: "moderator" })).id)).actor;
    const member = (await signInAs((await makeUser()).id)).actor;
    const staff = await makeUser({ role: "staff" });
    const other = await makeUser();
    expect(await setSuspension(moderator, { userId: other.id, suspend: "true", reason: "" })).toMatchObject({ kind: "invalid", fieldErrors: { reason: [expect.any(String)] } });
    expect(await setSuspension(moderator, { userId: other.id, suspend: "true", reason: "x", days: "0" })).toMatchObject({ kind: "invalid", fieldErrors: { days: [expect.any(String)] } });
    expect(await setSuspension(moderator, { userId: staff.id, suspend: "true", reason: "spam" })).toMatchObject({ kind: "forbidden" });
    expect(await setSuspension(member, { userId: other.id, suspend: "true", reason: "spam" })).toMatchObject({ kind: "forbidden" });
    expect(await prisma.auditEntry.count({ where: { targetId: { in: [staff.id, other.id] } } })).toBe(0);
    expect(await prisma.user.count({ where: { id: { in: [staff.id, other.id] }, status: "suspended" } })).toBe(0);
  });
});
