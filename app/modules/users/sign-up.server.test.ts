import { describe, expect, test } from "vitest";
import { prisma } from "~/utils/db.server.ts";
import { makeUser, randomIp } from "../../../tests/support/factories.ts";
import { verifyPassword } from "./password.server.ts";
import { signUp } from "./sign-up.server.ts";
import { inEnglish } from "../../../tests/support/messages.ts";

const valid = () => ({
  email: `new-${Math.random().toString(36).slice(2, 8)}@example.com`,
  handle: `new-${Math.random().toString(36).slice(2, 8)}`,
  displayName: "New Member",
  password: "a long enough passphrase",
});

describe("sign-up", () => {
  test("creates a member with an argon2id-hashed password and a signed-up event", async () => {
    const input = valid();
    const result = await signUp(input, { ip: randomIp() });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const user = await prisma.user.findUniqueOrThrow({ where: { id: result.value.userId }, include: { password: true } });
    expect(user.role).toBe("member");
    expect(user.emailNormalized).toBe(input.email.toLowerCase());
    expect(user.password!.hash.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(user.password!.hash, input.password)).toBe(true);
    const events = await prisma.domainEvent.findMany({ where: { subjectId: user.id, type: "user.signed_up" } });
    expect(events).toHaveLength(1);
  });

  test("refuses an e-mail that is already registered in other letter case, and writes nothing", async () => {
    const existing = await makeUser({ email: "Casey.Jones@Example.com" });
    const before = await prisma.user.count();
    const result = await signUp({ ...valid(), email: "casey.jones@EXAMPLE.COM" }, { ip: randomIp() });
    expect(result).toMatchObject({ ok: false, kind: "conflict" });
    if (result.ok || result.kind !== "conflict") return;
    expect(inEnglish(result.fieldErrors?.email?.[0])).toMatch(/already exists/);
    expect(await prisma.user.count()).toBe(before);
    expect(existing.email).toBe("Casey.Jones@Example.com");
  });

  test("refuses a handle that is taken whatever its letter case", async () => {
    await makeUser({ handle: "taken-handle" });
    const result = await signUp({ ...valid(), handle: "Taken-Handle" }, { ip: randomIp() });
    expect(inEnglish(result)).toMatchObject({ ok: false, kind: "conflict", fieldErrors: { handle: [expect.stringMatching(/taken/)] } });
  });

  test("refuses a password shorter than 10 characters", async () => {
    const result = await signUp({ ...valid(), password: "short1!" }, { ip: randomIp() });
    expect(inEnglish(result)).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { password: [expect.stringMatching(/at least 10/)] } });
  });

  test("refuses a common password even when it is long enough", async () => {
    for (const password of ["password123", "qwertyuiop", "1234567890", "Password123"]) {
      const result = await signUp({ ...valid(), password }, { ip: randomIp() });
      expect(inEnglish(result), password).toMatchObject({ ok: false, kind: "invalid", fieldErrors: { password: [expect.stringMatching(/too common/)] } });
    }
  });

  test("reports every invalid field at once and writes nothing", async () => {
    const before = await prisma.user.count();
    const result = await signUp({ email: "not-an-email", handle: "a b", displayName: "", password: "" }, { ip: randomIp() });
    expect(result.ok).toBe(false);
    if (result.ok || result.kind !== "invalid") throw new Error("expected invalid");
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["displayName", "email", "handle", "password"]);
    expect(await prisma.user.count()).toBe(before);
  });

  test("two simultaneous sign-ups with one e-mail leave exactly one account", async () => {
    const input = valid();
    const results = await Promise.all([
      signUp({ ...input, handle: `${input.handle}-a` }, { ip: randomIp() }),
      signUp({ ...input, email: input.email.toUpperCase(), handle: `${input.handle}-b` }, { ip: randomIp() }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.kind === "conflict")).toHaveLength(1);
    expect(await prisma.user.count({ where: { emailNormalized: input.email.toLowerCase() } })).toBe(1);
  });

  test("limits sign-ups from one address to 10 an hour (429 with a wait time)", async () => {
    const ip = randomIp();
    for (let i = 0; i < 10; i++) expect((await signUp(valid(), { ip })).ok).toBe(true);
    const eleventh = await signUp(valid(), { ip });
    expect(eleventh).toMatchObject({ ok: false, kind: "rate-limited" });
    if (!eleventh.ok && eleventh.kind === "rate-limited") expect(eleventh.retryAfterSeconds).toBeGreaterThan(0);
  });
});
