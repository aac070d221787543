import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { makeUser, randomIp, signInAs } from "../../../tests/support/factories.ts";
import { queuedMails } from "../../../tests/support/queued-mail.ts";
import { getCurrentUser } from "./sessions.server.ts";
import { hashToken, requestPasswordReset, resetPassword, RESET_LINK_INVALID } from "./password-reset.server.ts";
import { verifySignIn } from "./sign-in.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

const BASE = "http://forum.test";

/** The reset link is only in the queued e-mail: read it from the job the use case enqueued. */
async function lastResetToken(email: string): Promise<string> {
  const mail = (await queuedMails()).find((m) => m.to === email);
  const match = mail?.text.match(/reset-password\?token=([A-Za-z0-9_-]+)/);
  if (!match) throw new Error(`no reset mail for ${email}`);
  return match[1]!;
}

describe("password reset", () => {
  test("a link works once: the password changes, every session ends, a second use is refused", async () => {
    const user = await makeUser();
    const { cookie } = await signInAs(user.id);
    expect((await requestPasswordReset({ email: user.email.toUpperCase() }, { ip: randomIp(), baseUrl: BASE })).ok).toBe(true);
    const token = await lastResetToken(user.email);
    const stored = await prisma.passwordResetToken.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).toBe(hashToken(token));
    expect(stored[0]!.tokenHash).not.toContain(token);

    const first = await resetPassword({ token, password: "a brand new passphrase", confirm: "a brand new passphrase" });
    expect(first).toEqual({ ok: true, value: { userId: user.id } });
    expect(await getCurrentUser(new Request("http://x/", { headers: { Cookie: cookie } }))).toBeNull();
    expect((await verifySignIn({ email: user.email, password: "a brand new passphrase" }, { ip: randomIp() })).ok).toBe(true);

    const second = await resetPassword({ token, password: "yet another passphrase", confirm: "yet another passphrase" });
    expect(second).toMatchObject({ ok: false, kind: "invalid", formErrors: [RESET_LINK_INVALID] });
  });

  test("two simultaneous uses of one link: exactly one succeeds", async () => {
    const user = await makeUser();
    await requestPasswordReset({ email: user.email }, { ip: randomIp(), baseUrl: BASE });
    const token = await lastResetToken(user.email);
    const results = await Promise.all([
      resetPassword({ token, password: "first racing passphrase", confirm: "first racing passphrase" }),
      resetPassword({ token, password: "second racing passphrase", confirm: "second racing passphrase" }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  test("a link expires after one hour", async () => {
    const user = await makeUser();
    await requestPasswordReset({ email: user.email }, { ip: randomIp(), baseUrl: BASE });
    const token = await lastResetToken(user.email);
    const row = await prisma.passwordResetToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(Math.abs(row.expiresAt.getTime() - row.createdAt.getTime() - 60 * 60 * 1000)).toBeLessThan(5000);
    await prisma.passwordResetToken.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const result = await resetPassword({ token, password: "a brand new passphrase", confirm: "a brand new passphrase" });
    expect(result).toMatchObject({ ok: false, kind: "invalid", formErrors: [RESET_LINK_INVALID] });
  });

  test("asking again voids the older link", async () => {
    const user = await makeUser();
    await requestPasswordReset({ email: user.email }, { ip: randomIp(), baseUrl: BASE });
    const older = await lastResetToken(user.email);
    await requestPasswordReset({ email: user.email }, { ip: randomIp(), baseUrl: BASE });
    const newer = await lastResetToken(user.email);
    expect(newer).not.toBe(older);
    const viaOlder = await resetPassword({ token: older, password: "a brand new passphrase", confirm: "a brand new passphrase" });
    expect(viaOlder).toMatchObject({ ok: false, kind: "invalid" });
    const viaNewer = await resetPassword({ token: newer, password: "a brand new passphrase", confirm: "a brand new passphrase" });
    expect(viaNewer.ok).toBe(true);
  });

  test("an unknown e-mail gets the same answer and no mail", async () => {
    const before = (await queuedMails()).length;
    const result = await requestPasswordReset({ email: "nobody-at-all@example.com" }, { ip: randomIp(), baseUrl: BASE });
    expect(result).toEqual({ ok: true, value: { sent: true } });
    expect((await queuedMails()).length).toBe(before);
  });

  test("refuses a weak new password and mismatched confirmation, keeping the link usable", async () => {
    const user = await makeUser();
    await requestPasswordReset({ email: user.email }, { ip: randomIp(), baseUrl: BASE });
    const token = await lastResetToken(user.email);
    expect(inEnglish(await resetPassword({ token, password: "password123", confirm: "password123" }))).toMatchObject({ kind: "invalid", fieldErrors: { password: [expect.stringMatching(/common/)] } });
    expect(inEnglish(await resetPassword({ token, password: "a fine passphrase", confirm: "another one" }))).toMatchObject({ kind: "invalid", fieldErrors: { confirm: [expect.any(String)] } });
    expect((await resetPassword({ token, password: "a fine passphrase", confirm: "a fine passphrase" })).ok).toBe(true);
  });

  test("limits reset requests per address (429)", async () => {
    const ip = randomIp();
    for (let i = 0; i < 5; i++) expect((await requestPasswordReset({ email: `x${i}@example.com` }, { ip, baseUrl: BASE })).ok).toBe(true);
    expect(await requestPasswordReset({ email: "x6@example.com" }, { ip, baseUrl: BASE })).toMatchObject({ ok: false, kind: "rate-limited" });
  });
});
