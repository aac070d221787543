import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { GOOD_PASSWORD, makeUser, randomIp, signInAs } from "../../../tests/support/factories.ts";
import { changePassword } from "./change-password.server.ts";
import { changeRole } from "./change-role.server.ts";
import { getCurrentUser, revokeSession, signOutEverywhere } from "./sessions.server.ts";
import { setSuspension } from "./set-suspension.server.ts";
import { verifySignIn } from "./sign-in.server.ts";
import { updateProfile } from "./update-profile.server.ts";

const requestWith = (cookie: string) => new Request("http://localhost/account", { headers: { Cookie: cookie } });

describe("sessions", () => {
  test("a revoked session is refused on its next request; the others stay signed in", async () => {
    const user = await makeUser();
    const laptop = await signInAs(user.id);
    const phone = await signInAs(user.id);
    const result = await revokeSession(laptop.actor, phone.actor.sessionId);
    expect(result).toEqual({ ok: true, value: { revoked: phone.actor.sessionId } });
    expect(await getCurrentUser(requestWith(phone.cookie))).toBeNull();
    expect(await getCurrentUser(requestWith(laptop.cookie))).not.toBeNull();
  });

  test("a member cannot revoke somebody else's session (not found, nothing deleted)", async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const a = await signInAs(alice.id);
    const b = await signInAs(bob.id);
    expect(await revokeSession(a.actor, b.actor.sessionId)).toMatchObject({ ok: false, kind: "not-found" });
    expect(await getCurrentUser(requestWith(b.cookie))).not.toBeNull();
  });

  test("sign out everywhere ends every session of the account", async () => {
    const user = await makeUser();
    const sessions = await Promise.all([signInAs(user.id), signInAs(user.id), signInAs(user.id)]);
    const result = await signOutEverywhere(sessions[0]!.actor);
    expect(result).toEqual({ ok: true, value: { ended: 3 } });
    for (const s of sessions) expect(await getCurrentUser(requestWith(s.cookie))).toBeNull();
  });

  test("a forged or unknown session cookie signs nobody in", async () => {
    expect(await getCurrentUser(requestWith("tw_session=eyJzaWQiOiJmb3JnZWQifQ%3D%3D.bad-signature"))).toBeNull();
  });

  test("an expired session is refused", async () => {
    const user = await makeUser();
    const s = await signInAs(user.id);
    await prisma.session.update({ where: { id: s.actor.sessionId }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await getCurrentUser(requestWith(s.cookie))).toBeNull();
  });
});

describe("change password", () => {
  test("needs the current password; ends the other sessions but keeps this one", async () => {
    const user = await makeUser();
    const here = await signInAs(user.id);
    const other = await signInAs(user.id);
    expect(await changePassword(here.actor, { currentPassword: "wrong", newPassword: "a new passphrase", confirm: "a new passphrase" })).toMatchObject({
      ok: false,
      fieldErrors: { currentPassword: [expect.any(String)] },
    });
    const result = await changePassword(here.actor, { currentPassword: GOOD_PASSWORD, newPassword: "a new passphrase", confirm: "a new passphrase" });
    expect(result).toEqual({ ok: true, value: { endedSessions: 1 } });
    expect(await getCurrentUser(requestWith(here.cookie))).not.toBeNull();
    expect(await getCurrentUser(requestWith(other.cookie))).toBeNull();
    expect((await verifySignIn({ email: user.email, password: "a new passphrase" }, { ip: randomIp() })).ok).toBe(true);
  });
});

describe("roles", () => {
  test("only an admin changes roles; a moderator, staff member or member is refused and nothing changes", async () => {
    const target = await makeUser();
    for (const role of ["member", "moderator", "staff"] as const) {
      const actor = (await signInAs((await makeUser({ role })).id)).actor;
      expect(await changeRole(actor, { userId: target.id, role: "admin" }), role).toMatchObject({ ok: false, kind: "forbidden" });
    }
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("member");
    const admin = (await signInAs((await makeUser({ role: "admin" })).id)).actor;
    expect(await changeRole(admin, { userId: target.id, role: "moderator" })).toEqual({ ok: true, value: { userId: target.id, role: "moderator" } });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("moderator");
    const events = await prisma.domainEvent.findMany({ where: { type: "user.role_changed", subjectId: target.id } });
    expect(events.map((e) => e.payload)).toEqual([{ from: "member", to: "moderator" }]);
  });

  test("an admin cannot change their own role", async () => {
    const admin = (await signInAs((await makeUser({ role: "admin" })).id)).actor;
    expect(await changeRole(admin, { userId: admin.id, role: "member" })).toMatchObject({ ok: false, kind: "forbidden" });
  });

  test("demoting ends the user's sessions at once; promoting does not", async () => {
    const admin = (await signInAs((await makeUser({ role: "admin" })).id)).actor;
    const mod = await makeUser({ role: "moderator" });
    const modSession = await signInAs(mod.id);
    expect((await changeRole(admin, { userId: mod.id, role: "staff" })).ok).toBe(true);
    expect(await getCurrentUser(requestWith(modSession.cookie))).not.toBeNull();
    expect((await changeRole(admin, { userId: mod.id, role: "member" })).ok).toBe(true);
    expect(await getCurrentUser(requestWith(modSession.cookie))).toBeNull();
  });

  test("an unknown role or user is refused clearly", async () => {
    const admin = (await signInAs((await makeUser({ role: "admin" })).id)).actor;
    expect(await changeRole(admin, { userId: "nope", role: "emperor" })).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { role: [expect.any(String)] } });
    expect(await changeRole(admin, { userId: "no-such-user", role: "staff" })).toMatchObject({ ok: false, kind: "not-found" });
  });
});

describe("suspension", () => {
  test("suspending ends every session at once and refuses sign-in; reinstating allows it again", async () => {
    const moderator = (await signInAs((await makeUser({ role: "moderator" })).id)).actor;
    const member = await makeUser();
    const s = await signInAs(member.id);
    expect(await setSuspension(moderator, { userId: member.id, suspend: "true", reason: "spam" })).toEqual({ ok: true, value: { userId: member.id, suspended: true, mode: "suspend", until: null } });
    expect(await getCurrentUser(requestWith(s.cookie))).toBeNull();
    expect(await verifySignIn({ email: member.email, password: GOOD_PASSWORD }, { ip: randomIp() })).toMatchObject({ kind: "forbidden" });
    expect((await setSuspension(moderator, { userId: member.id, suspend: "false" })).ok).toBe(true);
    expect((await verifySignIn({ email: member.email, password: GOOD_PASSWORD }, { ip: randomIp() })).ok).toBe(true);
  });

  test("a member cannot suspend anyone, and a moderator cannot suspend staff", async () => {
    const member = (await signInAs((await makeUser()).id)).actor;
    const moderator = (await signInAs((await makeUser({ role: "moderator" })).id)).actor;
    const other = await makeUser();
    const staff = await makeUser({ role: "staff" });
    expect(await setSuspension(member, { userId: other.id, suspend: "true", reason: "spam" })).toMatchObject({ kind: "forbidden" });
    expect(await setSuspension(moderator, { userId: staff.id, suspend: "true", reason: "spam" })).toMatchObject({ kind: "forbidden" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: staff.id } })).status).toBe("active");
  });
});

describe("profiles", () => {
  test("a member edits their own profile but not somebody else's", async () => {
    const me = (await signInAs((await makeUser()).id)).actor;
    const other = await makeUser();
    expect((await updateProfile(me, me.id, { displayName: "Renamed", bio: "Hello" })).ok).toBe(true);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: me.id } })).toMatchObject({ displayName: "Renamed", bio: "Hello" });
    expect(await updateProfile(me, other.id, { displayName: "Hacked", bio: "" })).toMatchObject({ kind: "forbidden" });
    expect(await updateProfile(me, me.id, { displayName: "", bio: "x".repeat(1001) })).toMatchObject({ kind: "invalid" });
  });
});
