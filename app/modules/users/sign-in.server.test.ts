import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { GOOD_PASSWORD, makeUser, randomIp } from "../../../tests/support/factories.ts";
import { verifySignIn, WRONG_CREDENTIALS } from "./sign-in.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

describe("sign-in", () => {
  test("accepts the right password whatever the e-mail's letter case", async () => {
    const user = await makeUser({ email: "Robin.Hood@Example.com" });
    const result = await verifySignIn({ email: "robin.hood@example.COM", password: GOOD_PASSWORD }, { ip: randomIp() });
    expect(result).toEqual({ ok: true, value: { userId: user.id } });
  });

  test("answers the same for an unknown e-mail and a wrong password", async () => {
    const user = await makeUser();
    const wrong = await verifySignIn({ email: user.email, password: "not the password" }, { ip: randomIp() });
    const unknown = await verifySignIn({ email: "nobody-here@example.com", password: "not the password" }, { ip: randomIp() });
    expect(wrong).toEqual({ ok: false, kind: "invalid", fieldErrors: {}, formErrors: [WRONG_CREDENTIALS] });
    expect(unknown).toEqual(wrong);
  });

  test("locks an account after 5 failures in 15 minutes, even for the right password (429)", async () => {
    const user = await makeUser();
    for (let i = 0; i < 4; i++) {
      const r = await verifySignIn({ email: user.email, password: `wrong-${i}` }, { ip: randomIp() });
      expect(r).toMatchObject({ ok: false, kind: "invalid" });
    }
    const fifth = await verifySignIn({ email: user.email, password: "wrong-5" }, { ip: randomIp() });
    expect(fifth).toMatchObject({ ok: false, kind: "rate-limited" });
    const right = await verifySignIn({ email: user.email, password: GOOD_PASSWORD }, { ip: randomIp() });
    expect(inEnglish(right)).toMatchObject({ ok: false, kind: "rate-limited", message: expect.stringMatching(/Try again in 1[45] minutes/) });
    if (!right.ok && right.kind === "rate-limited") {
      expect(right.retryAfterSeconds).toBeGreaterThan(13 * 60);
      expect(right.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    }
  });

  test("locks an address after 20 failures across accounts", async () => {
    const ip = randomIp();
    const victims = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser(), makeUser()]);
    let limited = 0;
    for (let i = 0; i < 20; i++) {
      const r = await verifySignIn({ email: victims[i % 5]!.email, password: `wrong-${i}` }, { ip });
      if (!r.ok && r.kind === "rate-limited") limited += 1;
    }
    // The 20th failure from this address locks it; per-account counters stay at 4 each.
    expect(limited).toBe(1);
    const fresh = await makeUser();
    const blocked = await verifySignIn({ email: fresh.email, password: GOOD_PASSWORD }, { ip });
    expect(blocked).toMatchObject({ ok: false, kind: "rate-limited" });
    const elsewhere = await verifySignIn({ email: fresh.email, password: GOOD_PASSWORD }, { ip: randomIp() });
    expect(elsewhere.ok).toBe(true);
  });

  test("a successful sign-in clears the account's failure count", async () => {
    const user = await makeUser();
    for (let i = 0; i < 4; i++) await verifySignIn({ email: user.email, password: `wrong-${i}` }, { ip: randomIp() });
    expect((await verifySignIn({ email: user.email, password: GOOD_PASSWORD }, { ip: randomIp() })).ok).toBe(true);
    for (let i = 0; i < 4; i++) {
      expect(await verifySignIn({ email: user.email, password: `again-${i}` }, { ip: randomIp() })).toMatchObject({ kind: "invalid" });
    }
  });

  test("refuses a suspended account", async () => {
    const user = await makeUser();
    await prisma.user.update({ where: { id: user.id }, data: { status: "suspended" } });
    const result = await verifySignIn({ email: user.email, password: GOOD_PASSWORD }, { ip: randomIp() });
    expect(result).toMatchObject({ ok: false, kind: "forbidden" });
  });

  test("reports missing fields without touching the database", async () => {
    const result = await verifySignIn({ email: "", password: "" }, { ip: randomIp() });
    expect(result).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { email: expect.any(Array), password: expect.any(Array) } });
  });
});
